// Defensive reads of the server's answers in the browser: a rate-limit layer, a 429 scope, a finite number.
import type { RateLimitLayerName, RateLimitScope } from "../wire/types";

// Every name the server may send: a name missing here turns a model's refusal into a vague one (and its
// RateLimit header into no hint at all). `satisfies Record` makes a new wire name fail to compile until added.
const LAYER_NAMES: readonly string[] = Object.keys({
  min: 1,
  hour: 1,
  "ip-min": 1,
  "model-min": 1,
  "model-hour": 1,
  "model-rpm": 1,
  "model-tpm": 1,
  "model-busy": 1,
} satisfies Record<RateLimitLayerName, 1>);
const SCOPES: readonly string[] = Object.keys({
  user: 1,
  ip: 1,
  concurrency: 1,
  model: 1,
} satisfies Record<RateLimitScope, 1>);

export const isLayerName = (value: unknown): value is RateLimitLayerName =>
  typeof value === "string" && LAYER_NAMES.includes(value);

export const isScope = (value: unknown): value is RateLimitScope =>
  typeof value === "string" && SCOPES.includes(value);

/** The value when it is a finite number, else 0 (a missing or malformed field). */
export const num = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;
