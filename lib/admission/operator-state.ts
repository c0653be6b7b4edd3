// The operator's state in one process's memory: blocks, per-minute stats, repeat offenders' refusal counts.
import type { BlockEntry } from "../admin/types";
import { MemoryWindows } from "../ratelimit/memory-windows";
import { STATS_TOP_MAX, STATS_TTL_SECONDS, statsMinute } from "./budget";
import type { AbusePolicy } from "./types";

/** A block as kept under its target. */
export type Block = Omit<BlockEntry, "target">;

export interface MinuteStats {
  counts: Map<string, number>;
  /** Refused identities this minute, by refusals. */
  top: Map<string, number>;
}

/** Minutes of stats kept (the console shows the last hour). */
const STATS_MINUTES = STATS_TTL_SECONDS / 60;

/** Shared by the in-memory admission (which reads and counts) and the operator's console (which steers). */
export class MemoryOperatorState {
  readonly blocks = new Map<string, Block>();
  readonly stats = new Map<number, MinuteStats>();
  private readonly abuse = new MemoryWindows(100_000);

  /** The block that applies to any of these targets and lasts longest, or null. */
  blockOf(targets: string[], now: number): Block | null {
    let found: Block | null = null;
    for (const target of targets) {
      const block = this.blocks.get(target);
      if (block && block.until <= now) this.blocks.delete(target);
      else if (block && (!found || block.until > found.until)) found = block;
    }
    return found;
  }

  count(now: number, field: string, key?: string, times = 1): void {
    const minute = statsMinute(now);
    let stats = this.stats.get(minute);
    if (!stats) {
      stats = { counts: new Map(), top: new Map() };
      this.stats.set(minute, stats);
      for (const old of this.stats.keys()) if (old <= minute - STATS_MINUTES) this.stats.delete(old);
    }
    stats.counts.set(field, (stats.counts.get(field) ?? 0) + times);
    if (!key) return;
    stats.top.set(key, (stats.top.get(key) ?? 0) + times);
    if (stats.top.size > STATS_TOP_MAX) {
      const [fewest] = [...stats.top].reduce((a, b) => (b[1] < a[1] ? b : a));
      stats.top.delete(fewest);
    }
  }

  /** Forgets an identity's refusals (an operator lifted its block): the next one starts a new count. */
  forgetRefusals(limitKey: string): void {
    this.abuse.delete(limitKey);
  }

  /** Counts a refusal under `scope`; with a policy, blocks an identity refused too often (not for blocks or 402s). */
  countRefusal(now: number, scope: string, limitKey: string, abuse: AbusePolicy | null, times = 1): void {
    this.count(now, `refused:${scope}`, limitKey, times);
    // A full model is nobody's doing: it never counts towards blocking the person.
    if (!abuse || scope === "blocked" || scope === "credits" || scope === "model") return;
    // The window starts at an identity's first refusal, as the Redis counter's expiry does.
    const before = this.abuse.count(limitKey, now);
    const ends = before > 0 ? (this.abuse.resetAt(limitKey) ?? now) : now + abuse.windowSeconds * 1000;
    this.abuse.set(limitKey, before + times, ends, now);
    if (before + times > abuse.afterRefusals && !this.blockOf([limitKey], now)) {
      if (this.blocks.size > 10_000) {
        for (const [target, block] of this.blocks) if (block.until <= now) this.blocks.delete(target);
      }
      this.blocks.set(limitKey, { until: now + abuse.blockSeconds * 1000, reason: "automatic" });
    }
  }
}
