// "2 messages left this minute": what the caller has left in each layer, from GET /api/limits and the
// RateLimit / RateLimit-Policy headers of every chat answer, and the quiet hint shown when little is left.
import { parseList } from "structured-headers";
import type { Limits, RateLimitLayerName } from "../wire/types";
import { isLayerName } from "./body-fields";
import { messagesCount } from "./time-words";

/** One layer as this browser last knew it. */
export interface LayerView {
  name: RateLimitLayerName;
  limit: number;
  remaining: number;
  /** Epoch ms when the layer frees its next message (its oldest counted one leaves the window). */
  resetsAt: number;
  windowSeconds: number;
}

/** The hint appears when a layer has this many messages left, or fewer. */
export const HINT_FROM_REMAINING = 2;

export function layersFromLimits(limits: Limits): LayerView[] {
  return limits.layers.flatMap((layer) => {
    const resetsAt = Date.parse(layer.resets_at);
    if (!isLayerName(layer.name) || !Number.isFinite(resetsAt)) return [];
    return [
      {
        name: layer.name,
        limit: layer.limit,
        remaining: layer.remaining,
        resetsAt,
        windowSeconds: layer.window_seconds,
      },
    ];
  });
}

/** Parsed `RateLimit: "min";r=2;t=41` — the layer closest to refusing — and the policy's limits and windows. */
export interface RateLimitFields {
  name: RateLimitLayerName;
  remaining: number;
  resetSeconds: number;
  policy: Map<RateLimitLayerName, { limit: number; windowSeconds: number }>;
}

/** Reads the draft-ietf-httpapi-ratelimit-headers fields; null when absent or malformed. */
export function parseRateLimitHeaders(
  rateLimit: string | null,
  policy: string | null,
): RateLimitFields | null {
  if (!rateLimit) return null;
  try {
    const [first] = parseList(rateLimit);
    if (!first || Array.isArray(first[0])) return null;
    const [name, params] = first as [unknown, Map<string, unknown>];
    const remaining = params.get("r");
    const reset = params.get("t");
    if (!isLayerName(name) || typeof remaining !== "number" || typeof reset !== "number") return null;
    const policies: RateLimitFields["policy"] = new Map();
    for (const member of policy ? parseList(policy) : []) {
      const [item, itemParams] = member as [unknown, Map<string, unknown>];
      const q = itemParams.get("q");
      const w = itemParams.get("w");
      if (isLayerName(item) && typeof q === "number" && typeof w === "number")
        policies.set(item, { limit: q, windowSeconds: w });
    }
    return { name, remaining, resetSeconds: reset, policy: policies };
  } catch {
    return null; // a proxy's or an older server's header: no hint rather than a wrong one
  }
}

/**
 * Whether what we know of a layer still holds: each layer is a sliding log, so once its next message has
 * freed (resetsAt) only the server knows when the one after frees — the caller asks it again
 * (GET /api/limits). A layer with all its messages left stays true however long it waits.
 */
export function isCurrent(layer: LayerView, now: number): boolean {
  return layer.remaining >= layer.limit || now < layer.resetsAt;
}

/**
 * Folds one chat answer's headers into what we know. The header names only the tightest layer, exactly;
 * an admitted message also counted once against every other layer, so they lose one each (on the per-IP
 * layer others on the network may have spent more: the next answer or /api/limits corrects it).
 */
export function observeAnswer(
  layers: LayerView[],
  fields: RateLimitFields,
  admitted: boolean,
  now: number,
): LayerView[] {
  const known = new Map(layers.map((layer) => [layer.name, layer]));
  if (admitted) {
    for (const [name, layer] of known) {
      if (name === fields.name) continue;
      // A layer that counted nothing frees this message a window from now.
      const resetsAt = layer.remaining >= layer.limit ? now + layer.windowSeconds * 1000 : layer.resetsAt;
      known.set(name, { ...layer, remaining: Math.max(0, layer.remaining - 1), resetsAt });
    }
  }
  const policy = fields.policy.get(fields.name);
  const previous = known.get(fields.name);
  const limit = policy?.limit ?? previous?.limit ?? fields.remaining;
  known.set(fields.name, {
    name: fields.name,
    limit,
    remaining: fields.remaining,
    resetsAt: now + fields.resetSeconds * 1000,
    windowSeconds: policy?.windowSeconds ?? previous?.windowSeconds ?? fields.resetSeconds,
  });
  return [...known.values()];
}

const WINDOW_WORDS: Record<RateLimitLayerName, string> = {
  min: "this minute",
  hour: "this hour",
  "ip-min": "this minute from your network",
  "model-min": "this minute with this model",
  "model-hour": "this hour with this model",
  "model-rpm": "this minute on this model for everyone",
  "model-tpm": "this minute on this model for everyone",
  "model-busy": "on this model for now", // never shown: a breaker has no limit to count down
};

export interface LimitHint {
  text: string;
  layer: RateLimitLayerName;
  /**
   * Epoch ms when this hint stops being true (the layer frees a message): ask the server again then. Null
   * for a layer with all its messages left (a limit of 2 or less), which time does not change.
   */
  until: number | null;
}

/**
 * The quiet hint for the layer with the fewest messages left, when that is 2 or fewer; else null. Layers
 * whose next message has freed since we heard of them are left out until the server says how they stand.
 */
export function limitHint(layers: LayerView[], now: number): LimitHint | null {
  const tight = layers
    // A tokens-per-minute layer counts tokens, not messages: "2 messages left" would be untrue of it.
    .filter((layer) => layer.name !== "model-tpm" && isCurrent(layer, now))
    .filter((layer) => layer.limit > 0 && layer.remaining <= HINT_FROM_REMAINING)
    // Fewest left first; on a tie the one that frees later is the one that binds.
    .sort((a, b) => a.remaining - b.remaining || b.resetsAt - a.resetsAt)[0];
  if (!tight) return null;
  const left = tight.remaining === 0 ? "No messages" : messagesCount(tight.remaining);
  const until = tight.remaining >= tight.limit ? null : tight.resetsAt;
  return { text: `${left} left ${WINDOW_WORDS[tight.name]}`, layer: tight.name, until };
}

/** What we know without the model's layers: after another model is chosen, until the server says its own. */
export function forgetModelLayers(layers: LayerView[]): LayerView[] {
  return layers.filter((layer) => !layer.name.startsWith("model-"));
}
