// POST /api/billing/webhook — Stripe events (signature verified on the raw body) change users' plans.
import { handleStripeEvent, MAX_WEBHOOK_BODY_BYTES, verifyStripeEvent } from "@/lib/billing/stripe-webhook";
import { getConfig } from "@/lib/config";
import { readBodyText } from "@/lib/http/body";
import { ApiError, withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  const secret = getConfig().billing.stripeWebhookSecret;
  // Without STRIPE_WEBHOOK_SECRET the endpoint doesn't exist: nothing could be verified.
  if (!secret) throw new ApiError("not_found", "Not found.");
  // The signature covers the exact bytes Stripe sent, so the body is read raw (and capped), never re-serialised.
  const payload = await readBodyText(request, MAX_WEBHOOK_BODY_BYTES);
  const event = verifyStripeEvent(payload, request.headers.get("stripe-signature"), secret);
  return Response.json(await handleStripeEvent(event), { headers: { "Cache-Control": "no-store" } });
});
