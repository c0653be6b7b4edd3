// Identities this instance saw refused by a rate layer, answered again without any I/O for a moment.
import type { LayerCheck, LayerState } from "./layers";

export interface CachedRefusal {
  /** The layer that refused, as it stood. */
  refusing: LayerState;
  /** Every layer of that answer, for the RateLimit-Policy field. */
  layers: LayerState[];
}

interface Entry extends CachedRefusal {
  /** Until when this entry answers without asking the store. */
  validUntil: number;
}

/**
 * A refused identity that keeps sending (a flood, a retry loop) is answered from here until its window ends
 * — but each entry is trusted for at most `maxAgeMs`, after which the store is asked again. That bounds how
 * long an operator's reset or a plan upgrade made on another instance can be overruled by an old refusal
 * here (the store itself changes at once), at the cost of one store call per identity per `maxAgeMs`.
 */
/** How long an instance trusts a cached refusal before asking the store again. */
export const REFUSAL_CACHE_MAX_AGE_MS = 1_000;

export class RefusalCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxAgeMs = REFUSAL_CACHE_MAX_AGE_MS,
    private readonly maxEntries = 50_000,
  ) {}

  remember(refusing: LayerState, layers: LayerState[], now: number): void {
    if (this.entries.size >= this.maxEntries) this.sweep(now);
    const key = keyOf(refusing);
    this.entries.delete(key);
    this.entries.set(key, { refusing, layers, validUntil: Math.min(refusing.resetAt, now + this.maxAgeMs) });
  }

  /** The cached refusal of any of the request's checks (the one that frees last), or null. */
  lookup(checks: LayerCheck[], now: number): CachedRefusal | null {
    let found: Entry | null = null;
    for (const check of checks) {
      const entry = this.entries.get(keyOf(check));
      if (!entry) continue;
      if (entry.validUntil <= now) {
        this.entries.delete(keyOf(check));
        continue;
      }
      if (!found || entry.refusing.resetAt > found.refusing.resetAt) found = entry;
    }
    return found;
  }

  /** Drops every cached refusal of an identifier (an operator reset it). */
  forget(identifier: string): void {
    for (const [key, entry] of this.entries)
      if (entry.refusing.identifier === identifier) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.validUntil <= now) this.entries.delete(key);
    // Still full (a flood of live refusals): forget the oldest half; they just ask the store again.
    if (this.entries.size < this.maxEntries) return;
    let drop = Math.floor(this.maxEntries / 2);
    for (const key of this.entries.keys()) {
      if (drop-- <= 0) break;
      this.entries.delete(key);
    }
  }
}

const keyOf = (check: LayerCheck) => `${check.layer.name}:${check.identifier}`;
