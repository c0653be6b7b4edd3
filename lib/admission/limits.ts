// A caller's limits as GET /api/limits reports them: each layer's state, read without spending anything.
import type { Caller } from "../identity/identify";
import { FREE_PLAN, GUEST_PLAN } from "../plans/table";
import { checksFor, type LayerCheck, type LayerState } from "../ratelimit/layers";
import { degradeOnFailure } from "../resilience/degrade";
import { services } from "../services";
import type { LimitLayer, Limits } from "../wire/types";
import { readMessageCost } from "./message-cost";
import type { LimitsQuery, LimitsState } from "./types";

/** The layers a caller counts against: its limit key's, and its address's bucket (anonymous or verified). */
export function checksOf(caller: Caller): LayerCheck[] {
  return checksFor(services().admission.layers, {
    limitKey: caller.limitKey,
    verified: caller.user !== null,
    clientIp: caller.clientIp,
  });
}

/** What reading (or deciding) an identity's limits needs: its layers, and whose plan applies. */
export function limitsQuery(
  limitKey: string,
  checks: LayerCheck[],
  signedIn: boolean,
  now: number,
  model: string | null = null,
): LimitsQuery {
  const { admission } = services();
  return {
    now,
    limitKey,
    checks,
    plans: admission.plans,
    defaultPlan: signedIn ? FREE_PLAN : GUEST_PLAN,
    readsStoredPlan: signedIn,
    models: (admission.layers.models ?? []).map(({ key, plans, tokenCost }) => ({
      key,
      plans,
      cost: tokenCost === 1 ? undefined : tokenCost,
    })),
    model,
  };
}

/** A caller's limits query, with the model it asked for (null: its plan's default). */
export const callerQuery = (caller: Caller, now: number, model: string | null = null): LimitsQuery =>
  limitsQuery(caller.limitKey, checksOf(caller), caller.user !== null, now, model);

/** The caller's layers (with `model`'s, or its plan's default model's), read without spending. */
export async function peekLimits(
  caller: Caller,
  now: number,
  model: string | null = null,
): Promise<LimitsState> {
  const { admission } = services();
  const query = callerQuery(caller, now, model);
  // While the store is down this instance's own view is the truth that applies (it enforces it).
  const local = admission.fallback ?? admission.primary;
  const state = await degradeOnFailure(() => admission.primary.peek(query), null);
  return state ?? (await local.peek(query));
}

/**
 * The caller's layers, with `model`'s own (null: its plan's default model's), read without spending; with
 * `conversation`, what a message there costs of the day's credits (./message-cost.ts).
 */
export async function readLimits(
  caller: Caller,
  model: string | null = null,
  conversation?: { owner: string | null; id: string },
  now = Date.now(),
): Promise<Limits> {
  const state = await peekLimits(caller, now, model);
  const limits: Limits = { plan: state.plan, layers: state.layers.map(toLimitLayer) };
  if (!conversation) return limits;
  const cost = await readMessageCost(state, conversation.owner, conversation.id);
  return cost === null ? limits : { ...limits, message_cost_tokens: cost };
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
