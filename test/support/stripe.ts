// Stripe webhook test events, signed with the official `stripe` package's test header helper.
import Stripe from "stripe";

export const TEST_WEBHOOK_SECRET = "whsec_test_0123456789abcdef0123456789abcdef";

let sequence = 0;
const eventId = () => `evt_test_${Date.now().toString(36)}_${++sequence}`;

/** A Stripe-shaped event envelope around `object`; `created` (Unix seconds) defaults to now. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  id = eventId(),
  created = Math.floor(Date.now() / 1000),
) {
  return {
    id,
    object: "event",
    api_version: "2025-10-29.clover",
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export interface CheckoutOptions {
  customer?: string | null;
  subscription?: string | Record<string, unknown> | null;
  mode?: "subscription" | "payment" | "setup";
  payment_status?: "paid" | "unpaid" | "no_payment_required";
  payment_link?: string | null;
  /** The event's `created` (Unix seconds). */
  created?: number;
  type?: "checkout.session.completed" | "checkout.session.async_payment_succeeded";
}

/** What a Payment Link's checkout sends: the user id comes back as client_reference_id. */
export function checkoutCompleted(userId: string | null, ids: CheckoutOptions = {}) {
  return stripeEvent(
    ids.type ?? "checkout.session.completed",
    {
      id: `cs_test_${++sequence}`,
      object: "checkout.session",
      mode: ids.mode ?? "subscription",
      client_reference_id: userId,
      customer: ids.customer === undefined ? `cus_${sequence}` : ids.customer,
      subscription: ids.subscription === undefined ? `sub_${sequence}` : ids.subscription,
      payment_link: ids.payment_link ?? null,
      payment_status: ids.payment_status ?? "paid",
      status: "complete",
      metadata: {},
    },
    undefined,
    ids.created,
  );
}

/** A subscription's status changed (`active`, `trialing`, `past_due`, `unpaid`, `canceled`, …). */
export function subscriptionUpdated(subscription: string, status: string, created?: number) {
  return stripeEvent(
    "customer.subscription.updated",
    { id: subscription, object: "subscription", customer: "cus_any", status, metadata: {} },
    undefined,
    created,
  );
}

/** A cancelled subscription: no client_reference_id, only the customer, the subscription id and metadata. */
export function subscriptionDeleted(
  subscription: string,
  customer: string,
  metadata: Record<string, string> = {},
  created?: number,
) {
  return stripeEvent(
    "customer.subscription.deleted",
    { id: subscription, object: "subscription", customer, status: "canceled", metadata },
    undefined,
    created,
  );
}

export interface SignOptions {
  secret?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

/** The raw body and its Stripe-Signature header, exactly as Stripe would send them. */
export function signedPayload(
  event: object,
  options: SignOptions = {},
): { payload: string; signature: string } {
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: options.timestamp,
  });
  return { payload, signature };
}
