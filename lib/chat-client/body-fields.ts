// Defensive reads of the server's answers in the browser: a rate-limit layer, a 429 scope, a finite number.
import type { RateLimitLayerName, RateLimitScope } from "../wire/types";

const LAYER_NAMES: readonly string[] = ["min", "hour", "ip-min"] satisfies RateLimitLayerName[];
const SCOPES: readonly string[] = ["user", "ip", "concurrency"] satisfies RateLimitScope[];

export const isLayerName = (value: unknown): value is RateLimitLayerName =>
  typeof value === "string" && LAYER_NAMES.includes(value);

export const isScope = (value: unknown): value is RateLimitScope =>
  typeof value === "string" && SCOPES.includes(value);

/** The value when it is a finite number, else 0 (a missing or malformed field). */
export const num = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;
