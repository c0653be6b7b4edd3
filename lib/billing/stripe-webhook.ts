// Stripe webhook events → plan changes: checkout completed raises a user to pro, a deleted subscription lowers them.
import Stripe from "stripe";
import { z } from "zod";
import { parseWith } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import { USER_ID_PATTERN } from "@/lib/identity/user-id";
import { FREE_PLAN, PRO_PLAN } from "@/lib/plans/table";
import { requireStore } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";

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
    | "payment_pending"
    | "unknown_customer"
    | "other_subscription";
  user_id?: string;
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
const idOrObject = z
  .union([z.string(), z.object({ id: z.string() }).loose()])
  .nullish()
  .transform((v) => (typeof v === "string" ? v : (v?.id ?? null)));
const metadata = z.record(z.string(), z.string()).nullish();
const checkoutSessionSchema = z
  .object({
    client_reference_id: z.string().nullish(),
    metadata,
    customer: idOrObject,
    subscription: idOrObject,
    payment_status: z.string().nullish(),
  })
  .loose();
const subscriptionSchema = z.object({ id: z.string(), customer: idOrObject, metadata }).loose();

function userIdFrom(...candidates: (string | null | undefined)[]): string | null {
  return candidates.find((c): c is string => typeof c === "string" && USER_ID_PATTERN.test(c)) ?? null;
}

const unavailable = "Billing storage is temporarily unavailable; Stripe will retry.";

/** Applies one verified event at most once. Throws 503 when the store is down, so Stripe retries later. */
export async function handleStripeEvent(event: Stripe.Event): Promise<WebhookResult> {
  const base = { received: true as const, event_id: event.id, type: event.type };
  const store = services().planStore;
  const apply = async (userId: string, change: Omit<Parameters<typeof store.applyEvent>[1], "userId">) => {
    const outcome = await requireStore(() => store.applyEvent(event.id, { userId, ...change }), unavailable);
    const result: WebhookResult = {
      ...base,
      applied: outcome === "applied",
      user_id: userId,
      plan: change.plan,
    };
    return outcome === "duplicate" ? { ...result, duplicate: true as const } : result;
  };

  // async_payment_succeeded is the completion of a checkout paid by a delayed method (bank debits).
  if (
    event.type === "checkout.session.completed" ||
    event.type === "checkout.session.async_payment_succeeded"
  ) {
    const session = parseWith(checkoutSessionSchema, event.data.object);
    const userId = userIdFrom(session.client_reference_id, session.metadata?.user_id);
    if (!userId) return { ...base, applied: false, ignored: "no_user" };
    if (session.payment_status === "unpaid") return { ...base, applied: false, ignored: "payment_pending" };
    return apply(userId, {
      plan: PRO_PLAN,
      link: { customerId: session.customer, subscriptionId: session.subscription },
    });
  }

  if (event.type === "customer.subscription.deleted") {
    const subscription = parseWith(subscriptionSchema, event.data.object);
    const userId =
      userIdFrom(subscription.metadata?.user_id) ??
      (await requireStore(
        () => store.userForStripe({ customerId: subscription.customer, subscriptionId: subscription.id }),
        unavailable,
      ));
    if (!userId) return { ...base, applied: false, ignored: "unknown_customer" };
    // A user who re-subscribed keeps pro when their old subscription's deletion arrives late.
    const current = (await requireStore(() => store.stripeLink(userId), unavailable)).subscriptionId;
    if (current && current !== subscription.id) {
      return { ...base, applied: false, ignored: "other_subscription", user_id: userId };
    }
    return apply(userId, { plan: FREE_PLAN, unlink: { subscriptionId: subscription.id } });
  }

  return { ...base, applied: false, ignored: "unhandled_event_type" };
}
