// The plan table: each plan's per-user limits (per minute, per hour, concurrent replies, daily tokens).
import { z } from "zod";

import { FREE_PLAN, GUEST_PLAN, PRO_PLAN } from "./names";

export { FREE_PLAN, GUEST_PLAN, PRO_PLAN } from "./names";

/** Every limit a plan sets. The per-IP layer is not here: it stays global (RATE_LIMIT_CHAT_IP_PER_MIN). */
export interface PlanLimits {
  /** Chat messages per minute window; 0 disables the layer. */
  perMinute: number;
  /** Chat messages per hour window; 0 disables the layer. */
  perHour: number;
  /** Replies streaming at once; 0 disables the cap. */
  concurrentStreams: number;
  /** Tokens per UTC day; 0 disables credits. */
  dailyTokens: number;
}

export const PLAN_FIELDS = ["perMinute", "perHour", "concurrentStreams", "dailyTokens"] as const;

/** Plan name → limits. Always holds `guest`, `free` and `pro`; RATE_LIMIT_PLANS may add more. */
export type PlanTable = Readonly<Record<string, Readonly<PlanLimits>>>;

/**
 * Pro multiplies every per-user layer by 4 and the daily budget by 10. The concurrency cap counts as a
 * per-user layer: it is keyed by the user like the minute and hour layers, and running a few replies side
 * by side (several tabs, an agent) is what a paying user buys. The minute/hour layers and the budget still
 * bound the total spend, so a higher cap adds parallelism, not cost. 0 (disabled) stays 0.
 */
export const PRO_LAYER_FACTOR = 4;
export const PRO_BUDGET_FACTOR = 10;

/** Today's single-plan limits (RATE_LIMIT_CHAT_PER_MIN, ..._PER_HOUR, CHAT_MAX_CONCURRENT_STREAMS, CHAT_DAILY_TOKEN_BUDGET). */
export function defaultPlanTable(base: PlanLimits): PlanTable {
  return {
    [GUEST_PLAN]: { ...base },
    [FREE_PLAN]: { ...base },
    [PRO_PLAN]: {
      perMinute: base.perMinute * PRO_LAYER_FACTOR,
      perHour: base.perHour * PRO_LAYER_FACTOR,
      concurrentStreams: base.concurrentStreams * PRO_LAYER_FACTOR,
      dailyTokens: base.dailyTokens * PRO_BUDGET_FACTOR,
    },
  };
}

/** Plan names end up in Redis values, logs and the UI: short, lower-case, no separators. */
export const PLAN_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

const limit = z
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be >= 0")
  .max(Number.MAX_SAFE_INTEGER, "is too large");
const partialPlanSchema = z.strictObject(
  {
    perMinute: limit.optional(),
    perHour: limit.optional(),
    concurrentStreams: limit.optional(),
    dailyTokens: limit.optional(),
  },
  { message: "must be an object" },
);

/** Why RATE_LIMIT_PLANS was refused: the plan and field it is about, when there is one. */
export class PlanTableError extends Error {
  constructor(
    detail: string,
    readonly plan?: string,
    readonly field?: string,
  ) {
    const where = [plan && `plan "${plan}"`, field && `field "${field}"`].filter(Boolean).join(", ");
    super(where ? `${where}: ${detail}` : detail);
    this.name = "PlanTableError";
  }
}

/**
 * The plan table: the defaults built from `base`, with RATE_LIMIT_PLANS (`raw`, JSON) merged over them.
 * A partial plan keeps the defaults for the fields it leaves out (a new plan: the `free` defaults).
 * Throws PlanTableError naming the plan and field for bad JSON, a bad name, an unknown field, or a
 * negative, fractional or non-numeric limit.
 */
export function parsePlanTable(raw: string | undefined, base: PlanLimits): PlanTable {
  const table: Record<string, PlanLimits> = { ...defaultPlanTable(base) };
  if (raw === undefined || raw.trim() === "") return table;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new PlanTableError(`is not valid JSON (${error instanceof Error ? error.message : "parse error"})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new PlanTableError('must be a JSON object keyed by plan name, e.g. {"pro":{"perMinute":20}}');
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (!PLAN_NAME_PATTERN.test(name)) {
      throw new PlanTableError("plan names are lower-case letters, digits, - and _ (at most 32)", name);
    }
    const result = partialPlanSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
      const field = unknownKey ?? (issue?.path[0] === undefined ? undefined : String(issue.path[0]));
      const detail = unknownKey
        ? `unknown field (allowed: ${PLAN_FIELDS.join(", ")})`
        : (issue?.message ?? "invalid");
      throw new PlanTableError(detail, name, field);
    }
    const overrides = Object.fromEntries(Object.entries(result.data).filter(([, v]) => v !== undefined));
    const defaults = Object.hasOwn(table, name) ? table[name] : table[FREE_PLAN];
    table[name] = { ...defaults, ...overrides } as PlanLimits;
  }
  return table;
}

/** The plan that applies: a stored one the table knows, else the caller's default (guest, or free when signed in). */
export function resolvePlan(stored: string | null | undefined, table: PlanTable, fallback: string): string {
  return stored && Object.hasOwn(table, stored) ? stored : fallback;
}

/**
 * The limits of plan `name`. A name the table doesn't know (a plan stored for a user, then removed from
 * RATE_LIMIT_PLANS) gets the `free` limits: the user is signed in, and nobody is locked out by a config edit.
 */
export function planLimits(table: PlanTable, name: string): Readonly<PlanLimits> {
  return (Object.hasOwn(table, name) ? table[name] : undefined) ?? (table[FREE_PLAN] as PlanLimits);
}
