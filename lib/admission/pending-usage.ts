// Tokens spent while the shared store was unreachable, billed to it once it answers again.
import type { Redis } from "@upstash/redis";

/** At most this many identities' usage wait for the store; beyond it the oldest are dropped (and logged). */
const MAX_PENDING = 10_000;

export class PendingUsage {
  private readonly tokens = new Map<string, number>();
  private flushing: Promise<void> | null = null;

  constructor(private readonly maxPending = MAX_PENDING) {}

  get size(): number {
    return this.tokens.size;
  }

  add(usageKey: string, tokens: number): void {
    if (!(tokens > 0)) return;
    if (!this.tokens.has(usageKey) && this.tokens.size >= this.maxPending) {
      const oldest = this.tokens.keys().next().value as string;
      console.warn(
        `[usage] ${this.maxPending} identities' usage already await the store; dropping ${oldest}'s`,
      );
      this.tokens.delete(oldest);
    }
    this.tokens.set(usageKey, (this.tokens.get(usageKey) ?? 0) + Math.ceil(tokens));
  }

  /** Bills everything pending in one pipeline; what fails stays pending. One flush at a time. */
  flush(redis: Redis): Promise<void> {
    if (this.tokens.size === 0) return Promise.resolve();
    this.flushing ??= (async () => {
      const batch = [...this.tokens];
      this.tokens.clear();
      const pipeline = redis.pipeline();
      for (const [key, tokens] of batch) {
        pipeline.incrby(key, tokens);
        pipeline.expire(key, 2 * 86_400);
      }
      try {
        await pipeline.exec();
      } catch (error) {
        for (const [key, tokens] of batch) this.add(key, tokens);
        throw error;
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }
}
