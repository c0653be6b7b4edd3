// RateLimit / RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers) for every admission answer.
import { serializeList } from "structured-headers";
import type { LayerState } from "./layers";

/**
 * `RateLimit-Policy: "min";q=5;w=60, ...` lists every layer the request counted against, and
 * `RateLimit: "<layer>";r=<remaining>;t=<seconds>` the one closest to refusing (or the one that refused).
 */
export function rateLimitHeaders(
  layers: LayerState[],
  now = Date.now(),
  refusing?: LayerState,
): Record<string, string> {
  if (layers.length === 0) return {};
  const policy = layers.map(policyItem).join(", ");
  const tightest =
    refusing ??
    layers.reduce((a, b) =>
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

// A layer's policy item changes only with its limit: serialised once, it keeps refusals cheap.
const policyItems = new Map<string, string>();
function policyItem({ layer, limit }: LayerState): string {
  const key = `${layer.name}:${limit}:${layer.windowSeconds}`;
  let item = policyItems.get(key);
  if (item === undefined) {
    item = serializeList([
      [
        layer.name,
        new Map([
          ["q", limit],
          ["w", layer.windowSeconds],
        ]),
      ],
    ]);
    // Layers × plans: a handful of distinct items; the bound only guards against a misconfiguration.
    if (policyItems.size < 1_000) policyItems.set(key, item);
  }
  return item;
}

/** Whole seconds until `resetAt`, rounded up so that waiting that long is always enough; at least 1. */
export function secondsUntil(resetAt: number, now = Date.now()): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}
