// The operator's state in one process's memory: blocks, per-minute stats, repeat offenders' refusal counts.
import { AUDIT_RETENTION_MS, type AuditEntry, type BlockEntry } from "../admin/types";
import { MemoryWindows } from "../ratelimit/memory-windows";
import { STATS_TOP_MAX, STATS_TTL_SECONDS, statsMinute } from "./budget";
import { type AbusePolicy, AUTOMATIC_BLOCK_REASON } from "./types";

/** A block as kept under its target. */
export type Block = Omit<BlockEntry, "target">;

export interface MinuteStats {
  counts: Map<string, number>;
  /** Refused identities this minute, by refusals. */
  top: Map<string, number>;
}

/** The audit log's words for an automatic block (the Redis scripts are handed the same text). */
export function automaticBlockDetail(abuse: AbusePolicy): string {
  return `for ${abuse.blockSeconds} s: more than ${abuse.afterRefusals} refused messages within ${abuse.windowSeconds} s`;
}

/** Minutes of stats kept (the console shows the last hour). */
const STATS_MINUTES = STATS_TTL_SECONDS / 60;

/** Shared by the in-memory admission (which reads and counts) and the operator's console (which steers). */
export class MemoryOperatorState {
  readonly blocks = new Map<string, Block>();
  readonly stats = new Map<number, MinuteStats>();
  private readonly abuse = new MemoryWindows(100_000);
  /** The audit log, newest first, each entry with when it was made (epoch ms). */
  private readonly auditLog: { at: number; entry: AuditEntry }[] = [];

  appendAudit(entry: AuditEntry, now: number): void {
    this.auditLog.unshift({ at: now, entry });
    while ((this.auditLog.at(-1)?.at ?? now) < now - AUDIT_RETENTION_MS) this.auditLog.pop();
  }

  /** `limit` entries, newest first, after passing over the `offset` newest. */
  audit(limit: number, offset: number): AuditEntry[] {
    return this.auditLog.slice(offset, offset + limit).map((e) => e.entry);
  }

  /**
   * Keeps a block the shared store answered with, or one this instance's operator made or listed: the outage
   * fallback enforces it while Redis is down, as it does the limits.
   */
  keepBlock({ target, until, reason }: BlockEntry, now: number): void {
    this.sweepBlocks(now);
    this.blocks.set(target, { until, reason });
  }

  /** The store admitted a caller with these targets: no block of theirs that would refuse it stands any more. */
  forgetBlocksOf(targets: string[]): void {
    targets.forEach((target, i) => {
      const block = this.blocks.get(target);
      if (block && (i === 0 || block.reason !== AUTOMATIC_BLOCK_REASON)) this.blocks.delete(target);
    });
  }

  private sweepBlocks(now: number): void {
    if (this.blocks.size <= 10_000) return;
    for (const [target, block] of this.blocks) if (block.until <= now) this.blocks.delete(target);
  }

  /** Lifts the target's live block and forgets its refusals; null (and nothing changed) when it had none. */
  clearBlock(target: string, now: number): BlockEntry | null {
    const block = this.blockOf([target], now);
    if (!block) return null;
    this.blocks.delete(target);
    this.abuse.delete(target);
    return block;
  }

  /**
   * The block that applies to a caller with these targets (its limit key first) and lasts longest, or null.
   * An automatic block applies only on the first target, the offender's own identity (see
   * AdmissionRequest.blockTargets), as the Redis script decides.
   */
  blockOf(targets: string[], now: number): BlockEntry | null {
    let found: BlockEntry | null = null;
    targets.forEach((target, i) => {
      const block = this.blocks.get(target);
      if (block && block.until <= now) this.blocks.delete(target);
      else if (!block || (i > 0 && block.reason === AUTOMATIC_BLOCK_REASON)) return;
      else if (!found || block.until > found.until) found = { target, ...block };
    });
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
      this.sweepBlocks(now);
      this.blocks.set(limitKey, { until: now + abuse.blockSeconds * 1000, reason: AUTOMATIC_BLOCK_REASON });
      const at = new Date(now).toISOString();
      const detail = automaticBlockDetail(abuse);
      this.appendAudit({ at, actor: AUTOMATIC_BLOCK_REASON, action: "block", key: limitKey, detail }, now);
    }
  }
}
