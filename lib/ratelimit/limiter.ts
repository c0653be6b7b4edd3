// Checks every chat limit layer in one parallel round trip, with a timeout and a fail-open/closed policy.
import { getConfig } from "../config";
import type { Caller } from "../identity/identify";
import { getRedis } from "../redis";
import { withTimeout } from "../resilience/degrade";
import { reportStoreFailure, reportStoreSuccess } from "../resilience/store-health";
import { secondsUntil } from "./headers";
import { MemoryLimiterBackend } from "./memory-backend";
import { chatLayers, layersFor } from "./policy";
import type { LayerCheck, LayerResult, LimitDecision, LimiterBackend } from "./types";
import { UpstashLimiterBackend } from "./upstash-backend";

export interface ChatLimiterOptions {
  backend: LimiterBackend;
  rateLimit: ReturnType<typeof getConfig>["rateLimit"];
}

export class ChatLimiter {
  private readonly layers;

  constructor(private readonly options: ChatLimiterOptions) {
    this.layers = chatLayers(options.rateLimit);
  }

  get backendKind(): "memory" | "redis" {
    return this.options.backend.kind;
  }

  async check(identity: Caller): Promise<LimitDecision> {
    const checks = layersFor(this.layers, identity);
    if (checks.length === 0) return { outcome: "allowed", results: [], pending: null };

    // An identity this instance already saw refused is answered without any I/O until its window ends.
    const cached = this.refuseFromCache(checks);
    if (cached) return cached;

    const { backend, rateLimit } = this.options;
    let results: (LayerResult & { pending?: Promise<unknown> })[];
    try {
      results = await withTimeout(Promise.all(checks.map((c) => backend.consume(c))), rateLimit.timeoutMs);
      reportStoreSuccess();
    } catch (error) {
      reportStoreFailure(error);
      return { outcome: "unavailable", failMode: rateLimit.failMode, results: [], pending: null };
    }

    const pendings = results.flatMap((r) => (r.pending ? [r.pending] : []));
    const refused = results.filter((r) => !r.success);
    if (refused.length === 0) {
      return { outcome: "allowed", results, pending: pendings.length ? Promise.allSettled(pendings) : null };
    }
    // A refused request must not use up the layers that admitted it, or the Retry-After we send could
    // be broken by the request it answers (e.g. the hour's last token spent on a minute refusal).
    const refunds = results.filter((r) => r.success).map((r) => backend.refund(r).catch(reportStoreFailure));
    const refusedBy = refused.reduce((a, b) => (b.resetAt > a.resetAt ? b : a));
    return {
      outcome: "refused",
      results: results.map((r) => (r.success ? { ...r, remaining: r.remaining + 1 } : r)),
      refusedBy,
      retryAfterSeconds: secondsUntil(refusedBy.resetAt),
      pending: Promise.allSettled([...pendings, ...refunds]),
    };
  }

  private refuseFromCache(checks: LayerCheck[]): LimitDecision | null {
    const now = Date.now();
    let refusedBy: LayerResult | null = null;
    for (const check of checks) {
      const until = this.options.backend.blockedUntil(check, now);
      if (until !== null && (!refusedBy || until > refusedBy.resetAt)) {
        refusedBy = { ...check, success: false, remaining: 0, resetAt: until };
      }
    }
    if (!refusedBy) return null;
    return {
      outcome: "refused",
      results: [refusedBy],
      refusedBy,
      retryAfterSeconds: secondsUntil(refusedBy.resetAt, now),
      pending: null,
    };
  }
}

const globalLimiter = globalThis as typeof globalThis & { __chatLimiter?: ChatLimiter };

/** The process-wide chat limiter: Upstash when configured, else in memory. */
export function getChatLimiter(): ChatLimiter {
  if (!globalLimiter.__chatLimiter) {
    const config = getConfig();
    const redis = getRedis();
    const backend = redis ? new UpstashLimiterBackend(redis) : new MemoryLimiterBackend();
    globalLimiter.__chatLimiter = new ChatLimiter({ backend, rateLimit: config.rateLimit });
  }
  return globalLimiter.__chatLimiter;
}

/** Tests only. */
export function resetChatLimiterForTests(): void {
  globalLimiter.__chatLimiter = undefined;
}
