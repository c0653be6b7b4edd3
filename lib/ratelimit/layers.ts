// The chat endpoint's fixed-window layers, and which identifiers one request counts against.
import type { Config } from "../config";

export type LayerName = "min" | "hour" | "ip-min";

/** One fixed-window layer of the chat policy, e.g. "5 per 60 s per user". */
export interface Layer {
  /** Stable short name; part of the Redis key and of the RateLimit-Policy header. */
  name: LayerName;
  scope: "user" | "ip";
  windowSeconds: number;
  /** The plan field this layer's limit comes from; absent for the per-IP layer, which is the same for all. */
  planField?: "perMinute" | "perHour";
  /** The limit when there is no plan field. */
  fixedLimit?: number;
}

/** A layer bound to the identifier it counts for one request. */
export interface LayerCheck {
  layer: Layer;
  identifier: string;
}

/** A layer's state as the admission left it: for RateLimit headers and 429 bodies. */
export interface LayerState extends LayerCheck {
  limit: number;
  remaining: number;
  /** Epoch ms at which this layer's current window ends. */
  resetAt: number;
}

export interface ChatLayers {
  userMinute: Layer;
  userHour: Layer;
  ipMinute: Layer;
}

export function chatLayers(rateLimit: Config["rateLimit"]): ChatLayers {
  return {
    userMinute: {
      name: "min",
      scope: "user",
      windowSeconds: rateLimit.minuteWindowSeconds,
      planField: "perMinute",
    },
    userHour: {
      name: "hour",
      scope: "user",
      windowSeconds: rateLimit.hourWindowSeconds,
      planField: "perHour",
    },
    ipMinute: {
      name: "ip-min",
      scope: "ip",
      windowSeconds: rateLimit.minuteWindowSeconds,
      fixedLimit: rateLimit.ipPerMinute,
    },
  };
}

/** The caller as far as limits care: its limit key, and whether it is a verified user (see ipBucket). */
export interface LimitedCaller {
  limitKey: string;
  verified: boolean;
  clientIp: string;
}

/**
 * The per-IP layer keeps two buckets per address (shared NAT): anonymous callers can mint identities at will,
 * so they share `anon:<ip>`; verified users are accountable through their own user layers and share
 * `verified:<ip>` with the same cap, which still bounds many accounts behind one address. An anonymous flood
 * therefore exhausts only the anonymous bucket, and a signed-in colleague on the same IP keeps chatting.
 */
export function ipBucket(caller: LimitedCaller): string {
  return `${caller.verified ? "verified" : "anon"}:${caller.clientIp}`;
}

/** The layers one request counts against; a layer whose limit is 0 for every plan is left out. */
export function checksFor(layers: ChatLayers, caller: LimitedCaller): LayerCheck[] {
  return [
    { layer: layers.userMinute, identifier: caller.limitKey },
    { layer: layers.userHour, identifier: caller.limitKey },
    { layer: layers.ipMinute, identifier: ipBucket(caller) },
  ];
}

/** A layer's limit under a plan; 0 disables it. */
export function limitOf(layer: Layer, plan: { perMinute: number; perHour: number }): number {
  return layer.planField ? plan[layer.planField] : (layer.fixedLimit ?? 0);
}

export const windowMs = (layer: Layer) => layer.windowSeconds * 1000;

/** The epoch-aligned window `now` falls in, numbered as @upstash/ratelimit's fixedWindow numbers it. */
export function bucketOf(layer: Layer, now: number): number {
  return Math.floor(now / windowMs(layer));
}

/** When the window `now` falls in ends. */
export function windowEnd(layer: Layer, now: number): number {
  return (bucketOf(layer, now) + 1) * windowMs(layer);
}

/** The Redis key prefix of a layer; @upstash/ratelimit's reads (getRemaining) take the same prefix. */
export const layerPrefix = (layer: Layer) => `rl:chat:${layer.name}`;

/** The counter of one window: `<prefix>:<identifier>:<bucket>`, the key @upstash/ratelimit's fixedWindow uses. */
export function windowKey(check: LayerCheck, now: number): string {
  return `${layerPrefix(check.layer)}:${check.identifier}:${bucketOf(check.layer, now)}`;
}
