// The chat endpoint's sliding-log layers, and which identifiers one request counts against.
import type { Config } from "../config";
import type { ModelRow, ModelTable } from "../models/table";
import type { RateLimitLayerName } from "../wire/types";

/** The wire's layer names (one list): a new layer is added there and every reader of it must handle it. */
export type LayerName = RateLimitLayerName;

/** One layer of the chat policy, e.g. "5 per 60 s per user": at most `limit` in any `windowSeconds`. */
export interface Layer {
  /** Stable short name; part of the Redis key and of the RateLimit-Policy header. */
  name: LayerName;
  /** Whose sending it bounds: the caller's, its address's, or the whole app's use of a model. */
  scope: "user" | "ip" | "model";
  windowSeconds: number;
  /** The plan field this layer's limit comes from; absent for the per-IP layer, which is the same for all. */
  planField?: "perMinute" | "perHour";
  /** The limit when there is no plan field. */
  fixedLimit?: number;
  /** Counts tokens (each message's reservation, settled to its real usage), not messages. */
  tokens?: boolean;
  /**
   * A breaker, not a log: its key holds the epoch ms until which the provider said it is full (set, with a
   * PX of that wait, when it answered 429 / overloaded before a reply's first token). While it holds, the
   * layer refuses with limit 0 and frees at that moment; else it counts nothing and is not reported.
   */
  breaker?: boolean;
}

/** A layer bound to the identifier it counts for one request. */
export interface LayerCheck {
  layer: Layer;
  identifier: string;
  /** A model's layer: it counts only when the request is answered by this model (CHAT_MODELS key). */
  model?: string;
}

/** A layer's state as the admission left it: for RateLimit headers and 429 bodies. */
export interface LayerState extends LayerCheck {
  limit: number;
  remaining: number;
  /**
   * Epoch ms at which this layer frees its next message: when the oldest message that still counts against
   * the limit leaves the window (with more counted than the limit, e.g. after a plan was lowered, the oldest
   * extra ones must leave first). `now` when nothing is counted. For a refusing layer: when a retry passes.
   */
  resetAt: number;
}

export interface ChatLayers {
  userMinute: Layer;
  userHour: Layer;
  ipMinute: Layer;
  /** Each model's own rows: per-user limits with it, and the provider's quota for the whole app. */
  models?: ModelTable;
}

export function chatLayers(rateLimit: Config["rateLimit"], models?: ModelTable): ChatLayers {
  return {
    models,
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

/**
 * The layers one request counts against: the plan's and the address's, and every model's rows (each counts
 * only if that model answers); a model row whose limit is 0 is left out.
 */
export function checksFor(layers: ChatLayers, caller: LimitedCaller): LayerCheck[] {
  const { minuteWindowSeconds: minute, hourWindowSeconds: hour } = windowsOf(layers);
  const modelChecks = (layers.models ?? []).flatMap((row): LayerCheck[] => {
    const own = (name: LayerName, windowSeconds: number, limit: number): LayerCheck[] =>
      limit > 0
        ? [
            {
              layer: { name, scope: "user", windowSeconds, fixedLimit: limit },
              identifier: `model:${row.key}:${caller.limitKey}`,
              model: row.key,
            },
          ]
        : [];
    // Every model has one: any provider may answer 429, whatever capacity is configured.
    const busy: LayerCheck = {
      layer: { name: "model-busy", scope: "model", windowSeconds: 0, breaker: true },
      identifier: `model:${row.key}`,
      model: row.key,
    };
    return [
      ...own("model-min", minute, row.perMinute),
      ...own("model-hour", hour, row.perHour),
      ...capacityChecks(layers, row),
      busy,
    ];
  });
  return [
    { layer: layers.userMinute, identifier: caller.limitKey },
    { layer: layers.userHour, identifier: caller.limitKey },
    { layer: layers.ipMinute, identifier: ipBucket(caller) },
    ...modelChecks,
  ];
}

/**
 * A model's app-wide capacity (its provider quota, CHAT_MODELS `capacity`): requests and tokens per minute,
 * each counted for `model:<key>` whoever sends; a limit of 0 is left out. Admission and the console read these.
 */
export function capacityChecks(layers: ChatLayers, row: ModelRow): LayerCheck[] {
  const { minuteWindowSeconds: windowSeconds } = windowsOf(layers);
  const check = (name: "model-rpm" | "model-tpm", limit: number): LayerCheck[] =>
    limit > 0
      ? [
          {
            layer: {
              name,
              scope: "model",
              windowSeconds,
              fixedLimit: limit,
              ...(name === "model-tpm" ? { tokens: true } : {}),
            },
            identifier: `model:${row.key}`,
            model: row.key,
          },
        ]
      : [];
  return [
    ...check("model-rpm", row.capacity.requestsPerMinute),
    ...check("model-tpm", row.capacity.tokensPerMinute),
  ];
}

/** A model's minute and hour are as long as the plan's (tests shorten both together). */
const windowsOf = (layers: ChatLayers) => ({
  minuteWindowSeconds: layers.userMinute.windowSeconds,
  hourWindowSeconds: layers.userHour.windowSeconds,
});

/** A layer's limit under a plan; 0 disables it. */
export function limitOf(layer: Layer, plan: { perMinute: number; perHour: number }): number {
  return layer.planField ? plan[layer.planField] : (layer.fixedLimit ?? 0);
}

export const windowMs = (layer: Layer) => layer.windowSeconds * 1000;

/** The Redis key prefix of a layer. */
export const layerPrefix = (layer: Layer) => `rl:chat:${layer.name}`;

/**
 * The sliding log of one layer for one identifier: `<prefix>:<identifier>`, a sorted set of the admitted
 * messages scored by when they were admitted (epoch ms). Fixed windows used `<prefix>:<identifier>:<bucket>`
 * strings; no identifier ends in `:<digits>`, so the two never share a key during a rolling deploy.
 */
export const logKey = (check: LayerCheck) => `${layerPrefix(check.layer)}:${check.identifier}`;

/** A token layer's tokens per entry (and their sum, field "=total"), next to its log. */
export const tokensKey = (check: LayerCheck) => `${logKey(check)}:tokens`;

/**
 * A message's entry in every log it is counted in: its id (so it can be told apart and audited) and its
 * lease id, which is unique per request — a client re-using a message id in another conversation must not
 * overwrite its earlier entry (a sorted set keeps one score per member) and so be counted once.
 */
export const logEntry = (messageId: string, leaseId: string) => `${messageId || "-"}:${leaseId}`;
