// Who is on which plan, and the Stripe ids and events behind it: in memory, or Upstash Redis when configured.
import type { Redis } from "@upstash/redis";
import { admissionKeys } from "../admission/budget";
import { userKey } from "../identity/identify";
import { FREE_PLAN } from "./table";

/**
 * The key of a signed-in user's plan, `plan:user:<user.id>`: a Redis string holding the plan name; absent
 * means `free`. It is the admission's `plan:<limitKey>` (one definition), which reads it in its own round
 * trip. Guests have no key: their plan is always `guest`.
 */
export function planKey(userId: string): string {
  return admissionKeys.plan(userKey(userId));
}

/** Stripe bookkeeping. Customer/subscription → user lets `customer.subscription.deleted` find the user. */
export const billingKeys = {
  customer: (customerId: string) => `billing:customer:${customerId}`,
  subscription: (subscriptionId: string) => `billing:subscription:${subscriptionId}`,
  /** Hash {customer_id, subscription_id}: the Stripe ids stored with the user. */
  user: (userId: string) => `billing:user:${userId}`,
  /** Set once per Stripe event id, never expires: each event is applied at most once, ever. */
  event: (eventId: string) => `billing:event:${eventId}`,
};

export interface StripeLink {
  customerId: string | null;
  subscriptionId: string | null;
}

/** What one billing event does: set `userId`'s plan, and store (`link`) or drop (`unlink`) Stripe ids. */
export interface PlanChange {
  userId: string;
  plan: string;
  link?: StripeLink;
  unlink?: { subscriptionId: string };
}

export interface PlanStore {
  readonly kind: "memory" | "redis";
  /** The stored plan name of a signed-in user, `free` when none is stored. */
  planName(userId: string): Promise<string>;
  /** Applies `change` atomically together with recording `eventId`; "duplicate" (and no change) if seen before. */
  applyEvent(eventId: string, change: PlanChange): Promise<"applied" | "duplicate">;
  /** The user a Stripe subscription (first) or customer belongs to, or null. */
  userForStripe(ids: StripeLink): Promise<string | null>;
  stripeLink(userId: string): Promise<StripeLink>;
}

export class MemoryPlanStore implements PlanStore {
  readonly kind = "memory" as const;
  private readonly plans = new Map<string, string>();
  private readonly links = new Map<string, StripeLink>();
  private readonly owners = new Map<string, string>();
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

  async applyEvent(eventId: string, change: PlanChange): Promise<"applied" | "duplicate"> {
    if (this.events.has(eventId)) return "duplicate";
    this.events.add(eventId);
    const key = planKey(change.userId);
    if (change.plan === FREE_PLAN) this.plans.delete(key);
    else this.plans.set(key, change.plan);
    const link = { ...(this.links.get(change.userId) ?? { customerId: null, subscriptionId: null }) };
    if (change.link?.customerId) {
      link.customerId = change.link.customerId;
      this.owners.set(billingKeys.customer(change.link.customerId), change.userId);
    }
    if (change.link?.subscriptionId) {
      link.subscriptionId = change.link.subscriptionId;
      this.owners.set(billingKeys.subscription(change.link.subscriptionId), change.userId);
    }
    if (change.unlink) {
      this.owners.delete(billingKeys.subscription(change.unlink.subscriptionId));
      if (link.subscriptionId === change.unlink.subscriptionId) link.subscriptionId = null;
    }
    this.links.set(change.userId, link);
    return "applied";
  }

  async userForStripe({ customerId, subscriptionId }: StripeLink): Promise<string | null> {
    const bySubscription = subscriptionId && this.owners.get(billingKeys.subscription(subscriptionId));
    return bySubscription || (customerId && this.owners.get(billingKeys.customer(customerId))) || null;
  }

  async stripeLink(userId: string): Promise<StripeLink> {
    return { ...(this.links.get(userId) ?? { customerId: null, subscriptionId: null }) };
  }
}

// One script so the event id and its effect land together: a crash between them can neither apply an
// event twice (Stripe retries) nor record an event that was never applied.
const APPLY_EVENT = `
if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then return 0 end
if ARGV[1] == ARGV[6] then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[1]) end
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[4], ARGV[2])
  redis.call('HSET', KEYS[3], 'customer_id', ARGV[3])
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[5], ARGV[2])
  redis.call('HSET', KEYS[3], 'subscription_id', ARGV[4])
end
if ARGV[5] ~= '' then
  redis.call('DEL', KEYS[6])
  if redis.call('HGET', KEYS[3], 'subscription_id') == ARGV[5] then redis.call('HDEL', KEYS[3], 'subscription_id') end
end
return 1`;

export class RedisPlanStore implements PlanStore {
  readonly kind = "redis" as const;
  constructor(private readonly redis: Redis) {}

  async planName(userId: string): Promise<string> {
    // Plan names are stored as plain strings; @upstash/redis would turn a numeric-looking one into a number.
    const stored = await this.redis.get<string | number>(planKey(userId));
    return stored === null ? FREE_PLAN : String(stored);
  }

  async applyEvent(eventId: string, change: PlanChange): Promise<"applied" | "duplicate"> {
    const customerId = change.link?.customerId ?? "";
    const subscriptionId = change.link?.subscriptionId ?? "";
    const unlinkId = change.unlink?.subscriptionId ?? "";
    const keys = [
      billingKeys.event(eventId),
      planKey(change.userId),
      billingKeys.user(change.userId),
      billingKeys.customer(customerId),
      billingKeys.subscription(subscriptionId),
      billingKeys.subscription(unlinkId),
    ];
    const args = [change.plan, change.userId, customerId, subscriptionId, unlinkId, FREE_PLAN];
    const applied = await this.redis.eval<string[], number>(APPLY_EVENT, keys, args);
    return Number(applied) === 1 ? "applied" : "duplicate";
  }

  async userForStripe({ customerId, subscriptionId }: StripeLink): Promise<string | null> {
    const [bySubscription, byCustomer] = await Promise.all([
      subscriptionId ? this.redis.get<string>(billingKeys.subscription(subscriptionId)) : null,
      customerId ? this.redis.get<string>(billingKeys.customer(customerId)) : null,
    ]);
    const userId = bySubscription ?? byCustomer;
    return userId === null ? null : String(userId);
  }

  async stripeLink(userId: string): Promise<StripeLink> {
    const hash = await this.redis.hgetall<Record<string, string>>(billingKeys.user(userId));
    return {
      customerId: hash?.customer_id ? String(hash.customer_id) : null,
      subscriptionId: hash?.subscription_id ? String(hash.subscription_id) : null,
    };
  }
}
