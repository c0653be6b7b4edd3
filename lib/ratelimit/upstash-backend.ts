// Upstash Redis limiter backend (@upstash/ratelimit fixed windows): accurate across every instance.
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { Layer, LayerCheck, LayerResult, LimiterBackend } from "./types";

const MAX_CACHED_BLOCKS = 10_000;

interface LayerLimiter {
  ratelimit: Ratelimit;
  prefix: string;
  /** The library's ephemeral cache: `${prefix}:${identifier}` → epoch ms the block lasts until. */
  blocked: Map<string, number>;
}

export class UpstashLimiterBackend implements LimiterBackend {
  readonly kind = "redis" as const;
  private readonly limiters = new Map<string, LayerLimiter>();

  constructor(private readonly redis: Redis) {}

  private limiterFor(layer: Layer): LayerLimiter {
    let entry = this.limiters.get(layer.name);
    if (!entry) {
      const prefix = `rl:chat:${layer.name}`;
      const blocked = new Map<string, number>();
      const ratelimit = new Ratelimit({
        redis: this.redis,
        // Fixed windows make Retry-After honest: the window's end is exact and the counter is gone after it,
        // whereas a sliding window's `reset` can still refuse because of the previous window's weight.
        limiter: Ratelimit.fixedWindow(layer.limit, `${layer.windowSeconds} s`),
        prefix,
        ephemeralCache: blocked,
        analytics: false,
        // The policy applies one timeout and the fail-open/closed decision across all layers.
        timeout: 0,
      });
      entry = { ratelimit, prefix, blocked };
      this.limiters.set(layer.name, entry);
    }
    return entry;
  }

  blockedUntil(check: LayerCheck, now: number): number | null {
    const { blocked, prefix } = this.limiterFor(check.layer);
    // The library only forgets a block when the same identifier returns; a flood of one-off identifiers
    // would otherwise pile up here, so expired entries are swept once the cache grows large.
    if (blocked.size > MAX_CACHED_BLOCKS) {
      for (const [key, until] of blocked) if (until <= now) blocked.delete(key);
    }
    const until = blocked.get(`${prefix}:${check.identifier}`);
    return until !== undefined && until > now ? until : null;
  }

  async consume(check: LayerCheck): Promise<LayerResult & { pending: Promise<unknown> }> {
    const res = await this.limiterFor(check.layer).ratelimit.limit(check.identifier);
    return {
      ...check,
      success: res.success,
      remaining: Math.max(0, res.remaining),
      resetAt: res.reset,
      pending: res.pending,
    };
  }

  async refund(check: LayerCheck): Promise<void> {
    // A negative rate gives the token back (supported by @upstash/ratelimit's scripts).
    await this.limiterFor(check.layer).ratelimit.limit(check.identifier, { rate: -1 });
  }
}
