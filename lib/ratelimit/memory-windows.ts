// Fixed-window counters in one process's memory: no timers, lazy expiry, periodic sweeps, a hard key cap.

/** Counts between two sweeps of expired windows. */
const SWEEP_EVERY = 10_000;

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Why no timers: a timer per key keeps the async context of the request that armed it (Next's whole request)
 * alive until it fires — tens of KB per distinct IP for an hour. A Map with lazy expiry holds ~150 bytes per
 * key. Past `maxKeys` expired windows are swept, then the oldest forgotten: those identifiers start a fresh
 * window — briefly more lenient, never out of memory.
 */
export class MemoryWindows {
  private readonly windows = new Map<string, Window>();
  private opsSinceSweep = 0;

  constructor(private readonly maxKeys = 300_000) {}

  get size(): number {
    return this.windows.size;
  }

  /** The count of window `key` at `now` (0 when it has ended or never started). */
  count(key: string, now: number): number {
    const window = this.windows.get(key);
    return window && window.resetAt > now ? window.count : 0;
  }

  delete(key: string): void {
    this.windows.delete(key);
  }

  /** When window `key` ends, if it is live. */
  resetAt(key: string): number | undefined {
    return this.windows.get(key)?.resetAt;
  }

  /** Sets window `key` to `count` until `resetAt` (re-inserted, so the Map stays in window-start order). */
  set(key: string, count: number, resetAt: number, now: number): void {
    this.windows.delete(key);
    this.windows.set(key, { count, resetAt });
    this.housekeeping(now);
  }

  /** Raises window `key` to at least `count` (what the shared store counted). */
  raise(key: string, count: number, resetAt: number, now: number): void {
    if (count > this.count(key, now)) this.set(key, count, resetAt, now);
  }

  private housekeeping(now: number): void {
    this.opsSinceSweep += 1;
    if (this.opsSinceSweep < SWEEP_EVERY && this.windows.size <= this.maxKeys) return;
    this.opsSinceSweep = 0;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    const excess = this.windows.size - Math.floor(this.maxKeys * 0.9);
    if (excess <= 0 || this.windows.size <= this.maxKeys) return;
    let dropped = 0;
    for (const key of this.windows.keys()) {
      if (dropped++ >= excess) break;
      this.windows.delete(key);
    }
  }
}
