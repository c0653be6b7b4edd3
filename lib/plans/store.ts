// Who is on which plan, and the Stripe subscriptions behind it: in memory, or Upstash Redis when configured.
import type { Redis } from "@upstash/redis";
import { admissionKeys } from "../admission/budget";
import type { SubscriptionState } from "../billing/subscriptions";
import { userKey } from "../identity/identify";
import { FREE_PLAN, PRO_PLAN } from "./table";

/**
 * The key of a signed-in user's plan, `plan:user:<user.id>`: a Redis string holding the plan name; absent
 * means `free`. It is the admission's `plan:<limitKey>` (one definition), which reads it in its own round
 * trip. Guests have no key: their plan is always `guest`.
 */
export function planKey(userId: string): string {
  return admissionKeys.plan(userKey(userId));
}

/** Stripe bookkeeping: each subscription's state, each user's active subscriptions, each event id seen. */
export const billingKeys = {
  /** JSON SubscriptionState (lib/billing/subscriptions.ts). Before it, the key held the owner's user id. */
  subscription: (subscriptionId: string) => `billing:subscription:${subscriptionId}`,
  /** Set of the user's subscription ids that grant pro: the plan is pro while it is not empty. */
  active: (userId: string) => `billing:active:${userId}`,
  /** Set once per Stripe event id, never expires: each event is applied at most once, ever. */
  event: (eventId: string) => `billing:event:${eventId}`,
};

/** A subscription's state as stored, and `version`, the stored text a change must still find to apply. */
export interface StoredSubscription {
  state: SubscriptionState | null;
  version: string;
}

export interface SubscriptionChange {
  outcome: "applied" | "duplicate" | "conflict";
  /** The owner's plan afterwards (null without an owner, or when nothing was applied). */
  plan: string | null;
}

export interface PlanStore {
  readonly kind: "memory" | "redis";
  /** The stored plan name of a signed-in user, `free` when none is stored. */
  planName(userId: string): Promise<string>;
  subscription(subscriptionId: string): Promise<StoredSubscription>;
  /**
   * Stores `next` for the subscription together with `eventId` (once, ever: "duplicate" if seen before),
   * only if its stored text is still `version` ("conflict" otherwise: read again and retry). Then the owner
   * is pro while any of their subscriptions is active; with none, a `pro` plan returns to free. A plan set
   * by hand to anything else (a `team`) is left alone.
   */
  applySubscription(
    eventId: string,
    subscriptionId: string,
    version: string,
    next: SubscriptionState,
  ): Promise<SubscriptionChange>;
}

/** A stored subscription's text as state; the old format (just the owner's id) is an owner with no status. */
export function parseSubscription(raw: string): SubscriptionState | null {
  if (raw === "") return null;
  try {
    return JSON.parse(raw) as SubscriptionState;
  } catch {
    return { user: raw, active: false, ended: false, status: "unknown", order: null };
  }
}

export class MemoryPlanStore implements PlanStore {
  readonly kind = "memory" as const;
  private readonly plans = new Map<string, string>();
  private readonly subscriptions = new Map<string, string>();
  private readonly active = new Map<string, Set<string>>();
  private readonly events = new Set<string>();

  /**
   * The stored plan of a limit key (`user:<id>`), or null: the in-memory admission's synchronous read
   * (MemoryAdmissionOptions.storedPlan), which decides without awaiting.
   */
  storedPlanSync(limitKey: string): string | null {
    return this.plans.get(admissionKeys.plan(limitKey)) ?? null;
  }

  async planName(userId: string): Promise<string> {
    return this.plans.get(planKey(userId)) ?? FREE_PLAN;
  }

  async subscription(subscriptionId: string): Promise<StoredSubscription> {
    const version = this.subscriptions.get(subscriptionId) ?? "";
    return { state: parseSubscription(version), version };
  }

  async applySubscription(
    eventId: string,
    subscriptionId: string,
    version: string,
    next: SubscriptionState,
  ): Promise<SubscriptionChange> {
    if (this.events.has(eventId)) return { outcome: "duplicate", plan: null };
    if ((this.subscriptions.get(subscriptionId) ?? "") !== version)
      return { outcome: "conflict", plan: null };
    this.events.add(eventId);
    this.subscriptions.set(subscriptionId, JSON.stringify(next));
    if (!next.user) return { outcome: "applied", plan: null };
    const active = this.active.get(next.user) ?? new Set<string>();
    if (next.active) active.add(subscriptionId);
    else active.delete(subscriptionId);
    this.active.set(next.user, active);
    const key = planKey(next.user);
    const plan = this.plans.get(key);
    if (active.size > 0 && (plan === undefined || plan === FREE_PLAN)) this.plans.set(key, PRO_PLAN);
    else if (active.size === 0 && plan === PRO_PLAN) this.plans.delete(key);
    return { outcome: "applied", plan: this.plans.get(key) ?? FREE_PLAN };
  }
}

// One script, so the event id, the subscription's new state and the owner's plan land together: a crash
// between them can neither apply an event twice (Stripe retries) nor record an event that was never applied.
const APPLY_SUBSCRIPTION = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ''} end
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return {2, ''} end
redis.call('SET', KEYS[1], '1')
redis.call('SET', KEYS[2], ARGV[2])
if ARGV[4] == '' then return {1, ''} end
if ARGV[5] == '1' then redis.call('SADD', KEYS[3], ARGV[3]) else redis.call('SREM', KEYS[3], ARGV[3]) end
local plan = redis.call('GET', KEYS[4])
local any = redis.call('SCARD', KEYS[3]) > 0
if any and (not plan or plan == ARGV[7]) then
  redis.call('SET', KEYS[4], ARGV[6])
elseif not any and plan == ARGV[6] then
  redis.call('DEL', KEYS[4])
end
return {1, redis.call('GET', KEYS[4]) or ARGV[7]}`;

export class RedisPlanStore implements PlanStore {
  readonly kind = "redis" as const;
  constructor(private readonly redis: Redis) {}

  async planName(userId: string): Promise<string> {
    // Plan names are stored as plain strings; @upstash/redis would turn a numeric-looking one into a number.
    const stored = await this.redis.get<string | number>(planKey(userId));
    return stored === null ? FREE_PLAN : String(stored);
  }

  async subscription(subscriptionId: string): Promise<StoredSubscription> {
    // The text byte for byte (the version a change compares against): prefixed so that @upstash/redis,
    // which JSON-parses what it can, hands it over as it is.
    const [raw] = await this.redis.eval<string[], [string]>(
      "return {'=' .. (redis.call('GET', KEYS[1]) or '')}",
      [billingKeys.subscription(subscriptionId)],
      [],
    );
    const version = String(raw).slice(1);
    return { state: parseSubscription(version), version };
  }

  async applySubscription(
    eventId: string,
    subscriptionId: string,
    version: string,
    next: SubscriptionState,
  ): Promise<SubscriptionChange> {
    const owner = next.user ?? "";
    const keys = [
      billingKeys.event(eventId),
      billingKeys.subscription(subscriptionId),
      billingKeys.active(owner),
      planKey(owner),
    ];
    const args = [
      version,
      JSON.stringify(next),
      subscriptionId,
      owner,
      next.active ? "1" : "0",
      PRO_PLAN,
      FREE_PLAN,
    ];
    const [code, plan] = await this.redis.eval<string[], [number, string]>(APPLY_SUBSCRIPTION, keys, args);
    const outcome = Number(code) === 0 ? "duplicate" : Number(code) === 2 ? "conflict" : "applied";
    return { outcome, plan: outcome === "applied" && owner ? String(plan) : null };
  }
}
