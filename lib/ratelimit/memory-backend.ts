// In-memory limiter backend (rate-limiter-flexible): one process only, expired keys evicted by timers.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Layer, LayerCheck, LayerResult, LimiterBackend } from "./types";

export class MemoryLimiterBackend implements LimiterBackend {
  readonly kind = "memory" as const;
  private readonly limiters = new Map<string, RateLimiterMemory>();

  private limiterFor(layer: Layer): RateLimiterMemory {
    let limiter = this.limiters.get(layer.name);
    if (!limiter) {
      limiter = new RateLimiterMemory({
        points: layer.limit,
        duration: layer.windowSeconds,
        keyPrefix: layer.name,
      });
      this.limiters.set(layer.name, limiter);
    }
    return limiter;
  }

  blockedUntil(): number | null {
    // Memory answers without I/O anyway; no separate cache needed.
    return null;
  }

  async consume(check: LayerCheck): Promise<LayerResult> {
    const now = Date.now();
    try {
      const res = await this.limiterFor(check.layer).consume(check.identifier, 1);
      return { ...check, success: true, remaining: res.remainingPoints, resetAt: now + res.msBeforeNext };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ...check, success: false, remaining: 0, resetAt: now + rejection.msBeforeNext };
    }
  }

  async refund(check: LayerCheck): Promise<void> {
    await this.limiterFor(check.layer).reward(check.identifier, 1);
  }
}
