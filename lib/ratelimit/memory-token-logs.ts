// Token logs in one process's memory (the twin of a model's tokensPerMinute on Redis): entries weighted by tokens.

interface TokenLog {
  /** When each entry was admitted (epoch ms), oldest first, with its entry id and its tokens. */
  at: number[];
  ids: string[];
  tokens: number[];
  total: number;
}

/** One log per model: a handful of keys, each holding at most the entries of one window. */
export class MemoryTokenLogs {
  private readonly logs = new Map<string, TokenLog>();

  /** The tokens counted in the last window, and when the oldest entry leaves it (`now` when none). */
  state(key: string, now: number, windowMs: number): { used: number; freesAt: number } {
    const log = this.live(key, now, windowMs);
    const oldest = log?.at[0];
    return { used: log?.total ?? 0, freesAt: oldest === undefined ? now : oldest + windowMs };
  }

  /** When enough of the oldest entries have left for `need` more tokens to fit under `limit`. */
  freesFor(key: string, now: number, windowMs: number, limit: number, need: number): number {
    const log = this.live(key, now, windowMs);
    let left = log?.total ?? 0;
    for (let i = 0; log && i < log.at.length; i++) {
      left -= log.tokens[i] as number;
      if (left + need <= limit) return (log.at[i] as number) + windowMs;
    }
    return now + windowMs; // more than the whole quota never fits
  }

  add(key: string, entry: string, now: number, windowMs: number, tokens: number): void {
    const log = this.live(key, now, windowMs) ?? { at: [], ids: [], tokens: [], total: 0 };
    log.at.push(now);
    log.ids.push(entry);
    log.tokens.push(tokens);
    log.total += tokens;
    this.logs.set(key, log);
  }

  /** An entry's reservation becomes its real tokens (if it is still in the window). */
  settle(key: string, entry: string, tokens: number): void {
    const log = this.logs.get(key);
    const i = log?.ids.indexOf(entry) ?? -1;
    if (!log || i < 0) return;
    log.total += tokens - (log.tokens[i] as number);
    log.tokens[i] = tokens;
  }

  /** Forgets one entry and its tokens (a message that turned out to count nowhere). */
  remove(key: string, entry: string): void {
    const log = this.logs.get(key);
    const i = log?.ids.indexOf(entry) ?? -1;
    if (!log || i < 0) return;
    log.total -= log.tokens[i] as number;
    log.at.splice(i, 1);
    log.ids.splice(i, 1);
    log.tokens.splice(i, 1);
  }

  private live(key: string, now: number, windowMs: number): TokenLog | undefined {
    const log = this.logs.get(key);
    if (!log) return undefined;
    let gone = 0;
    while (gone < log.at.length && (log.at[gone] as number) <= now - windowMs) gone++;
    if (gone === log.at.length) {
      this.logs.delete(key);
      return undefined;
    }
    for (const spent of log.tokens.splice(0, gone)) log.total -= spent;
    log.at.splice(0, gone);
    log.ids.splice(0, gone);
    return log;
  }
}
