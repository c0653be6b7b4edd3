// Stripe webhook events → each subscription's state → the user's plan: pro while any subscription is active.
import Stripe from "stripe";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { parseWith } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import { USER_ID_PATTERN } from "@/lib/identity/user-id";
import { requireStore } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";
import { EVENT_RANK, nextSubscriptionState, type SubscriptionEvent, sameState } from "./subscriptions";

/** Stripe's snapshot events are a few KB; a Checkout Session with expanded objects stays far below this. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

/** What the webhook answers Stripe with (200); `ignored` says why nothing changed. */
export interface WebhookResult {
  received: true;
  event_id: string;
  type: string;
  applied: boolean;
  duplicate?: true;
  ignored?:
    | "unhandled_event_type"
    | "no_user"
    | "not_a_subscription"
    | "other_payment_link"
    | "out_of_order"
    | "subscription_ended";
  subscription_id?: string;
  user_id?: string;
  /** The user's plan after the event. */
  plan?: string;
}

/**
 * The verified event, or 400: the official check (HMAC of `t.payload` against every `v1` signature,
 * timestamp within the default 300 s tolerance, so a captured request can't be replayed later).
 */
export function verifyStripeEvent(payload: string, signature: string | null, secret: string): Stripe.Event {
  if (!signature) throw new ApiError("bad_request", "Missing Stripe-Signature header.");
  try {
    return Stripe.webhooks.constructEvent(payload, signature, secret);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split(".")[0] : "invalid";
    throw new ApiError("bad_request", "The Stripe signature does not match this request.", { reason });
  }
}

// Only the fields we use, validated: a signed event can still come from a different API version.
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === "string" ? v : (v?.id ?? null));
const idOrObject = z
  .union([z.string(), z.object({ id: z.string() }).loose()])
  .nullish()
  .transform(idOf);
const checkoutSessionSchema = z
  .object({
    mode: z.string().nullish(),
    client_reference_id: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    // An id, or the subscription itself when expanded (then its status tells a trial apart).
    subscription: z
      .union([z.string(), z.object({ id: z.string(), status: z.string().nullish() }).loose()])
      .nullish(),
    payment_link: idOrObject,
    payment_status: z.string().nullish(),
  })
  .loose();
const subscriptionSchema = z.object({ id: z.string(), status: z.string().nullish() }).loose();

function userIdFrom(...candidates: (string | null | undefined)[]): string | null {
  return candidates.find((c): c is string => typeof c === "string" && USER_ID_PATTERN.test(c)) ?? null;
}

const unavailable = "Billing storage is temporarily unavailable; Stripe will retry.";
/** Two deliveries for one subscription racing: each re-reads and retries; more than this is a 503 (Stripe retries). */
const MAX_ATTEMPTS = 5;

type Base = Pick<WebhookResult, "received" | "event_id" | "type">;
type Reading =
  | { ignored: NonNullable<WebhookResult["ignored"]> }
  | { subscriptionId: string; user: string | null; status: string | null };

/**
 * What a checkout says. Only a subscription checkout (from STRIPE_PAYMENT_LINK_ID when set) counts: a one-time
 * payment or a setup session buys nothing we could ever take back. It names the user; it grants pro only when
 * paid, or when the expanded subscription says `trialing` — otherwise (`unpaid`, `no_payment_required`) the
 * subscription's own events decide, whenever they come.
 */
function readCheckout(object: unknown): Reading {
  const session = parseWith(checkoutSessionSchema, object);
  const subscriptionId = idOf(session.subscription);
  if (session.mode !== "subscription" || !subscriptionId) return { ignored: "not_a_subscription" };
  const link = getConfig().billing.paymentLinkId;
  if (link && session.payment_link !== link) return { ignored: "other_payment_link" };
  const user = userIdFrom(session.client_reference_id, session.metadata?.user_id);
  if (!user) return { ignored: "no_user" };
  const trialing = typeof session.subscription === "object" && session.subscription?.status === "trialing";
  const status = session.payment_status === "paid" ? "paid" : trialing ? "trialing" : null;
  return { subscriptionId, user, status };
}

/** What a subscription event says: its status (a deletion ends it, whatever status it carries). */
function readSubscription(type: string, object: unknown): Reading {
  const subscription = parseWith(subscriptionSchema, object);
  const status = type === "customer.subscription.deleted" ? "canceled" : (subscription.status ?? null);
  return { subscriptionId: subscription.id, user: null, status };
}

/** Applies one verified event at most once. Throws 503 when the store is down, so Stripe retries later. */
export async function handleStripeEvent(event: Stripe.Event): Promise<WebhookResult> {
  const base: Base = { received: true, event_id: event.id, type: event.type };
  const rank = EVENT_RANK[event.type];
  if (rank === undefined) return { ...base, applied: false, ignored: "unhandled_event_type" };
  const reading = event.type.startsWith("checkout.")
    ? readCheckout(event.data.object)
    : readSubscription(event.type, event.data.object);
  if ("ignored" in reading) return { ...base, applied: false, ignored: reading.ignored };
  const { subscriptionId, user, status } = reading;
  return applyToSubscription(base, subscriptionId, {
    order: { created: event.created, rank, eventId: event.id },
    user,
    status,
  });
}

async function applyToSubscription(
  base: Base,
  subscriptionId: string,
  event: SubscriptionEvent,
): Promise<WebhookResult> {
  const store = services().planStore;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { state, version } = await requireStore(() => store.subscription(subscriptionId), unavailable);
    const next = nextSubscriptionState(state, event);
    const change = await requireStore(
      () => store.applySubscription(base.event_id, subscriptionId, version, next),
      unavailable,
    );
    if (change.outcome === "conflict") continue;
    const result: WebhookResult = {
      ...base,
      applied: change.outcome === "applied" && !sameState(state, next),
      subscription_id: subscriptionId,
      ...(next.user ? { user_id: next.user } : {}),
      ...(change.plan ? { plan: change.plan } : {}),
    };
    if (change.outcome === "duplicate") return { ...result, duplicate: true };
    if (!result.applied) return { ...result, ignored: state?.ended ? "subscription_ended" : "out_of_order" };
    return result;
  }
  throw new ApiError("unavailable", unavailable);
}
