// Types shared by the rate-limit policy, its backends and the HTTP layer.

/** Which limit refused a request: the caller's own budget, its IP's, or its concurrent streams. */
export type LimitScope = "user" | "ip" | "concurrency";

/** One fixed-window layer of the chat policy, e.g. "5 per 60 s per user". */
export interface Layer {
  /** Stable short name; part of the Redis prefix and the RateLimit-Policy header. */
  name: string;
  scope: Exclude<LimitScope, "concurrency">;
  limit: number;
  windowSeconds: number;
}

/** A layer bound to the identifier it counts for this request. */
export interface LayerCheck {
  layer: Layer;
  identifier: string;
}

export interface LayerResult extends LayerCheck {
  success: boolean;
  remaining: number;
  /** Epoch ms at which this layer's current window ends. */
  resetAt: number;
}

/** Counts requests per layer; Upstash Redis across instances, or memory for one process. */
export interface LimiterBackend {
  readonly kind: "memory" | "redis";
  /** Epoch ms until which the identifier is known (locally, without I/O) to be refused, else null. */
  blockedUntil(check: LayerCheck, now: number): number | null;
  /** Consumes one request from the layer. */
  consume(check: LayerCheck): Promise<LayerResult & { pending?: Promise<unknown> }>;
  /** Gives one request back (used when another layer refused the same request). */
  refund(check: LayerCheck): Promise<void>;
}

/** `pending`: store work that must finish after the response (analytics, refunds); null when there is none. */
export type LimitDecision =
  | { outcome: "allowed"; results: LayerResult[]; pending: Promise<unknown> | null }
  | {
      outcome: "refused";
      results: LayerResult[];
      refusedBy: LayerResult;
      retryAfterSeconds: number;
      pending: Promise<unknown> | null;
    }
  /** The backend failed or was too slow; the route admits (fail-open) or answers 503 (fail-closed). */
  | { outcome: "unavailable"; failMode: "open" | "closed"; results: []; pending: null };
