// Sliding logs in one process's memory (the twin of the Redis sorted sets): lazy expiry, sweeps, a hard key cap.

/** Writes between two sweeps of expired logs. */
const SWEEP_EVERY = 10_000;

interface Log {
  /** When each counted message was admitted (epoch ms), oldest first. */
  at: number[];
  /** Each message's log entry (lib/ratelimit/layers.ts logEntry), in the same order. */
  ids: string[];
  /** When the newest entry leaves the window: the whole log is dead from then on. */
  expiresAt: number;
}

/** What a log counts at one moment. */
export interface LogState {
  /** Messages admitted in the last window. */
  used: number;
  /**
   * When the next message frees: the oldest one still counted against `limit` leaves the window (with more
   * than `limit` counted, the extra oldest ones leave first); `now` when the log counts none.
   */
  freesAt: number;
}

/**
 * Why no timers: a timer per key keeps the async context of the request that armed it alive until it fires.
 * A Map with lazy expiry holds a few hundred bytes per key. Past `maxKeys` expired logs are swept, then the
 * oldest-written forgotten: those identifiers start an empty log — briefly more lenient, never out of memory.
 * Entries are kept in admission order; a log never holds more than its limit (the admission checks first).
 */
export class MemoryLogs {
  private readonly logs = new Map<string, Log>();
  private writesSinceSweep = 0;

  constructor(private readonly maxKeys = 300_000) {}

  get size(): number {
    return this.logs.size;
  }

  /** The log `key` as it stands at `now` for a layer of `windowMs` and `limit` (entries that left are dropped). */
  state(key: string, now: number, windowMs: number, limit: number): LogState {
    const log = this.live(key, now, windowMs);
    if (!log) return { used: 0, freesAt: now };
    const used = log.at.length;
    const counted = log.at[Math.max(0, used - limit)] ?? now;
    return { used, freesAt: counted + windowMs };
  }

  /** Counts one admitted message at `now` under `entry`. */
  add(key: string, entry: string, now: number, windowMs: number): void {
    const log = this.live(key, now, windowMs) ?? { at: [], ids: [], expiresAt: 0 };
    let i = log.at.length;
    while (i > 0 && (log.at[i - 1] as number) > now) i--; // a clock read out of order still lands sorted
    log.at.splice(i, 0, now);
    log.ids.splice(i, 0, entry);
    log.expiresAt = Math.max(log.expiresAt, now + windowMs);
    // Re-inserted, so the Map stays in last-written order for the sweep's "oldest first".
    this.logs.delete(key);
    this.logs.set(key, log);
    this.housekeeping(now);
  }

  /**
   * Raises log `key` to what the shared store counted: `used` messages, the one counted first admitted at
   * `freesAt - windowMs`. The store tells only that entry's time, so the others are taken as admitted at
   * `now` — no earlier than they were, so the mirror never frees a message before the store would.
   */
  mirror(key: string, used: number, freesAt: number, now: number, windowMs: number): void {
    const current = this.state(key, now, windowMs, used);
    if (used <= current.used) return;
    this.logs.delete(key);
    for (let i = 0; i < used; i++) this.add(key, "observed", i === 0 ? freesAt - windowMs : now, windowMs);
  }

  /** Forgets one entry (a message that turned out to count nowhere). */
  remove(key: string, entry: string): void {
    const log = this.logs.get(key);
    const i = log?.ids.indexOf(entry) ?? -1;
    if (!log || i < 0) return;
    log.at.splice(i, 1);
    log.ids.splice(i, 1);
    if (log.at.length === 0) this.logs.delete(key);
  }

  delete(key: string): void {
    this.logs.delete(key);
  }

  /** The log with the entries that have left the window dropped; undefined when none is left. */
  private live(key: string, now: number, windowMs: number): Log | undefined {
    const log = this.logs.get(key);
    if (!log) return undefined;
    const cutoff = now - windowMs;
    let gone = 0;
    while (gone < log.at.length && (log.at[gone] as number) <= cutoff) gone++;
    if (gone === log.at.length) {
      this.logs.delete(key);
      return undefined;
    }
    if (gone > 0) {
      log.at.splice(0, gone);
      log.ids.splice(0, gone);
    }
    return log;
  }

  private housekeeping(now: number): void {
    this.writesSinceSweep += 1;
    if (this.writesSinceSweep < SWEEP_EVERY && this.logs.size <= this.maxKeys) return;
    this.writesSinceSweep = 0;
    for (const [key, log] of this.logs) if (log.expiresAt <= now) this.logs.delete(key);
    const excess = this.logs.size - Math.floor(this.maxKeys * 0.9);
    if (excess <= 0 || this.logs.size <= this.maxKeys) return;
    let dropped = 0;
    for (const key of this.logs.keys()) {
      if (dropped++ >= excess) break;
      this.logs.delete(key);
    }
  }
}
