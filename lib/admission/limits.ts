// A caller's limits as GET /api/limits reports them: each layer's state, read without spending anything.
import type { Caller } from "../identity/identify";
import { FREE_PLAN, GUEST_PLAN } from "../plans/table";
import type { LayerState } from "../ratelimit/layers";
import { degradeOnFailure } from "../resilience/degrade";
import { services } from "../services";
import type { LimitLayer, Limits } from "../wire/types";
import { checksOf } from "./index";
import type { LimitsQuery } from "./types";

export async function readLimits(caller: Caller, now = Date.now()): Promise<Limits> {
  const { admission } = services();
  const query: LimitsQuery = {
    now,
    limitKey: caller.limitKey,
    checks: checksOf(caller),
    plans: admission.plans,
    defaultPlan: caller.user ? FREE_PLAN : GUEST_PLAN,
    readsStoredPlan: caller.user !== null,
  };
  // While the store is down this instance's own view is the truth that applies (it enforces it).
  const local = admission.fallback ?? admission.primary;
  const state = await degradeOnFailure(() => admission.primary.peek(query), null);
  const { plan, layers } = state ?? (await local.peek(query));
  return { plan, layers: layers.map(toLimitLayer) };
}

export function toLimitLayer(state: LayerState): LimitLayer {
  return {
    name: state.layer.name,
    scope: state.layer.scope,
    limit: state.limit,
    remaining: state.remaining,
    resets_at: new Date(state.resetAt).toISOString(),
    window_seconds: state.layer.windowSeconds,
  };
}
