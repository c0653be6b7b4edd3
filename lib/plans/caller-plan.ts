// The plan of whoever is calling and its limits as the API shows them (GET /api/session).
import { getConfig } from "@/lib/config";
import type { VerifiedUser } from "@/lib/identity/jwt";
import { degradeOnFailure } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";
import type { PlanLimitsInfo } from "@/lib/wire/types";
import { FREE_PLAN, GUEST_PLAN, planLimits, resolvePlan } from "./table";

/**
 * `guest` for signed-out callers, else the user's stored plan. A name the table no longer has reads as
 * `free` (its limits are free's, see planLimits). During a store outage the UI shows `free` rather than
 * failing: this read only informs; the admission decides on its own.
 */
export async function planNameOf(user: VerifiedUser | null): Promise<string> {
  if (!user) return GUEST_PLAN;
  const stored = await degradeOnFailure(() => services().planStore.planName(user.id), FREE_PLAN);
  return resolvePlan(stored, getConfig().plans, FREE_PLAN);
}

export function planLimitsJson(plan: string): PlanLimitsInfo {
  const limits = planLimits(getConfig().plans, plan);
  return {
    plan,
    per_minute: limits.perMinute,
    per_hour: limits.perHour,
    concurrent_streams: limits.concurrentStreams,
    daily_tokens: limits.dailyTokens,
  };
}
