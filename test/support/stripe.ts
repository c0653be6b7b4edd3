// Stripe webhook test events, signed with the official `stripe` package's test header helper.
import Stripe from "stripe";

export const TEST_WEBHOOK_SECRET = "whsec_test_0123456789abcdef0123456789abcdef";

let sequence = 0;
const eventId = () => `evt_test_${Date.now().toString(36)}_${++sequence}`;

/** A Stripe-shaped event envelope around `object`. */
export function stripeEvent(type: string, object: Record<string, unknown>, id = eventId()) {
  return {
    id,
    object: "event",
    api_version: "2025-10-29.clover",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** What a Payment Link's checkout sends: the user id comes back as client_reference_id. */
export function checkoutCompleted(
  userId: string | null,
  ids: { customer?: string | null; subscription?: string | null } = {},
) {
  return stripeEvent("checkout.session.completed", {
    id: `cs_test_${++sequence}`,
    object: "checkout.session",
    mode: "subscription",
    client_reference_id: userId,
    customer: ids.customer === undefined ? `cus_${sequence}` : ids.customer,
    subscription: ids.subscription === undefined ? `sub_${sequence}` : ids.subscription,
    payment_status: "paid",
    status: "complete",
    metadata: {},
  });
}

/** A cancelled subscription: no client_reference_id, only the customer, the subscription id and metadata. */
export function subscriptionDeleted(
  subscription: string,
  customer: string,
  metadata: Record<string, string> = {},
) {
  return stripeEvent("customer.subscription.deleted", {
    id: subscription,
    object: "subscription",
    customer,
    status: "canceled",
    metadata,
  });
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
