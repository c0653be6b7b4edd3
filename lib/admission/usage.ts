// A caller's daily token credits as GET /api/usage reports them: never a used figure above the budget.
import type { Caller } from "../identity/identify";
import { FREE_PLAN, GUEST_PLAN, resolvePlan } from "../plans/table";
import { degradeOnFailure } from "../resilience/degrade";
import { services } from "../services";
import type { Usage } from "../wire/types";
import { creditsResetAt } from "./budget";

export async function readUsage(caller: Caller, now = Date.now()): Promise<Usage> {
  const { admission } = services();
  const unknown = { used: 0, reserved: 0, storedPlan: null };
  // Credits are billing, not abuse protection: during a store outage they read as unused rather than fail.
  const state = await degradeOnFailure(() => admission.primary.usageOf(caller.limitKey, now), unknown);
  const plan = caller.user ? resolvePlan(state.storedPlan, admission.plans, FREE_PLAN) : GUEST_PLAN;
  const budget = admission.plans[plan]?.dailyTokens ?? 0;
  const used = Math.min(state.used, budget);
  return {
    used,
    remaining: Math.max(0, budget - state.used - state.reserved),
    budget,
    resets_at: new Date(creditsResetAt(now)).toISOString(),
  };
}
