// RateLimit / RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers) and the 429 error.
import { serializeList } from "structured-headers";
import { ApiError } from "../http/errors";
import type { Layer, LayerResult, LimitScope } from "./types";

/** `RateLimit-Policy: "min";q=5;w=60, ...` and `RateLimit: "<tightest>";r=<remaining>;t=<seconds>`. */
export function rateLimitHeaders(results: LayerResult[], now = Date.now()): Record<string, string> {
  if (results.length === 0) return {};
  const policy = results.map((r) => policyItem(r.layer)).join(", ");
  const tightest = results.reduce((a, b) =>
    b.remaining < a.remaining || (b.remaining === a.remaining && b.resetAt > a.resetAt) ? b : a,
  );
  const current = serializeList([
    [
      tightest.layer.name,
      new Map([
        ["r", tightest.remaining],
        ["t", secondsUntil(tightest.resetAt, now)],
      ]),
    ],
  ]);
  return { "RateLimit-Policy": policy, RateLimit: current };
}

// A layer's policy item never changes, so it is serialised once (it was ~40% of a 429's header work).
const policyItems = new WeakMap<Layer, string>();
function policyItem(layer: Layer): string {
  let item = policyItems.get(layer);
  if (item === undefined) {
    item = serializeList([
      [
        layer.name,
        new Map([
          ["q", layer.limit],
          ["w", layer.windowSeconds],
        ]),
      ],
    ]);
    policyItems.set(layer, item);
  }
  return item;
}

/** Whole seconds until `resetAt`, rounded up so that waiting that long is always enough; at least 1. */
export function secondsUntil(resetAt: number, now = Date.now()): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}

export function rateLimitedError(opts: {
  scope: LimitScope;
  limit: number;
  windowSeconds: number;
  retryAfterSeconds: number;
  headers?: Record<string, string>;
}): ApiError {
  const { scope, limit, windowSeconds, retryAfterSeconds } = opts;
  const message =
    scope === "concurrency"
      ? `Too many replies in progress at once (at most ${limit}). Please wait ~${retryAfterSeconds}s.`
      : `You're sending messages a bit fast — please wait ~${retryAfterSeconds}s.`;
  return new ApiError(
    "rate_limited",
    message,
    { retry_after_seconds: retryAfterSeconds, scope, limit, window_seconds: windowSeconds },
    { ...opts.headers, "Retry-After": String(retryAfterSeconds) },
  );
}
