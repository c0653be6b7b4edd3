// The chat endpoint's limit layers, built from config and the caller's identity.
import type { Config } from "../config";
import type { Caller } from "../identity/identify";
import type { Layer, LayerCheck } from "./types";

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
      limit: rateLimit.perMinute,
      windowSeconds: rateLimit.minuteWindowSeconds,
    },
    userHour: {
      name: "hour",
      scope: "user",
      limit: rateLimit.perHour,
      windowSeconds: rateLimit.hourWindowSeconds,
    },
    ipMinute: {
      name: "ip-min",
      scope: "ip",
      limit: rateLimit.ipPerMinute,
      windowSeconds: rateLimit.minuteWindowSeconds,
    },
  };
}

/**
 * The layers that apply to one request; a layer with limit 0 is disabled.
 *
 * Shared NAT: the per-IP layer keeps two buckets per address, one for anonymous traffic and one for
 * verified users. Anonymous callers can mint identities at will, so they share `anon:<ip>`; verified
 * users are accountable through their own user layers and share `verified:<ip>` with the same cap,
 * which still bounds many accounts behind one address. An anonymous flood therefore exhausts only the
 * anonymous bucket, and a signed-in colleague on the same IP keeps chatting within their own limits.
 */
export function layersFor(layers: ChatLayers, identity: Caller): LayerCheck[] {
  const ipBucket = `${identity.user ? "verified" : "anon"}:${identity.clientIp}`;
  const checks: LayerCheck[] = [
    { layer: layers.userMinute, identifier: identity.limitKey },
    { layer: layers.userHour, identifier: identity.limitKey },
    { layer: layers.ipMinute, identifier: ipBucket },
  ];
  return checks.filter((check) => check.layer.limit > 0);
}
