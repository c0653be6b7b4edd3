// The plans' limits the admission step applies: guests and signed-in users, from the RATE_LIMIT_* / CHAT_* env.
import type { Config } from "../config";
import type { PlanLimits } from "./types";

/** Anonymous callers' plan, and a signed-in user's when the store holds none for them. */
export const GUEST_PLAN = "guest";
export const DEFAULT_USER_PLAN = "free";

export function planTable(config: Config): Record<string, PlanLimits> {
  const base: PlanLimits = {
    perMinute: config.rateLimit.perMinute,
    perHour: config.rateLimit.perHour,
    concurrentStreams: config.maxConcurrentStreams,
    dailyTokens: config.credits.dailyTokenBudget,
  };
  return { [GUEST_PLAN]: base, [DEFAULT_USER_PLAN]: base };
}

/** The plan that applies: a stored one the table knows, else the default for the caller. */
export function resolvePlan(
  stored: string | null | undefined,
  plans: Record<string, PlanLimits>,
  fallback: string,
): string {
  return stored && plans[stored] ? stored : fallback;
}
