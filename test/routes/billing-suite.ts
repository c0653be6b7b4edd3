// Route-level suite for POST /api/billing/webhook and the plan it shows in GET /api/session; memory and Redis.
import { beforeEach, describe, expect, it } from "vitest";
import { POST as webhookPost } from "@/app/api/billing/webhook/route";
import { GET as sessionGet } from "@/app/api/session/route";
import { requestFor, userToken } from "../support/app";
import {
  checkoutCompleted,
  type SignOptions,
  signedPayload,
  stripeEvent,
  subscriptionDeleted,
  TEST_WEBHOOK_SECRET,
} from "../support/stripe";
import { type SuiteBackend, useSuiteApp } from "./suite";

function webhook(event: object, options: SignOptions = {}, contentType?: string) {
  const { payload, signature } = signedPayload(event, options);
  return webhookPost(
    requestFor(
      "/api/billing/webhook",
      { headers: { "stripe-signature": signature } },
      { body: payload, contentType },
    ),
  );
}

async function session(bearer: string) {
  const res = await sessionGet(requestFor("/api/session", { bearer }));
  expect(res.status).toBe(200);
  return (await res.json()) as {
    user: { id: string; plan: string };
    limits: Record<string, number | string>;
    upgrade_url: string | null;
  };
}

export function defineBillingRouteSuite(backend: SuiteBackend): void {
  describe(`billing webhook (${backend.name})`, () => {
    const configure = useSuiteApp(backend, {
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      PAYWALL_URL: "https://buy.stripe.com/test_123?prefilled_promo_code=X",
    });
    let bearer = "";
    let userId = "";

    beforeEach(async () => {
      bearer = await userToken("ada", "Ada");
      userId = (await session(bearer)).user.id;
    });

    it("checkout.session.completed raises the user to pro, with pro limits and no more upgrade link", async () => {
      const before = await session(bearer);
      expect(before.user.plan).toBe("free");
      const upgrade = new URL(before.upgrade_url ?? "");
      expect(upgrade.searchParams.get("client_reference_id")).toBe(userId);
      expect(upgrade.searchParams.get("prefilled_promo_code")).toBe("X");

      const res = await webhook(checkoutCompleted(userId, { customer: "cus_A", subscription: "sub_A" }));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ received: true, applied: true, user_id: userId, plan: "pro" });

      const after = await session(bearer);
      expect(after.user.plan).toBe("pro");
      expect(after.limits).toEqual({
        plan: "pro",
        per_minute: 20,
        per_hour: 240,
        concurrent_streams: 0,
        daily_tokens: 0,
      });
      expect(after.upgrade_url).toBeNull();
    });

    it("a replayed event is a no-op, even after the plan changed since", async () => {
      const upgrade = checkoutCompleted(userId, { customer: "cus_B", subscription: "sub_B" });
      expect((await (await webhook(upgrade)).json()).applied).toBe(true);
      const downgrade = subscriptionDeleted("sub_B", "cus_B");
      expect((await (await webhook(downgrade)).json()).applied).toBe(true);
      expect((await session(bearer)).user.plan).toBe("free");

      const replay = await webhook(upgrade);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toMatchObject({ applied: false, duplicate: true });
      expect((await session(bearer)).user.plan).toBe("free");
    });

    it("customer.subscription.deleted restores free, found by subscription, customer or metadata.user_id", async () => {
      await webhook(checkoutCompleted(userId, { customer: "cus_C", subscription: "sub_C" }));
      const res = await webhook(subscriptionDeleted("sub_C", "cus_C"));
      expect(await res.json()).toMatchObject({ applied: true, user_id: userId, plan: "free" });
      expect((await session(bearer)).user.plan).toBe("free");

      // By customer alone (a subscription id we never saw, e.g. created in the dashboard).
      await webhook(checkoutCompleted(userId, { customer: "cus_D", subscription: "sub_D" }));
      await webhook(subscriptionDeleted("sub_D", "cus_D"));
      await webhook(checkoutCompleted(userId, { customer: "cus_D", subscription: "sub_D2" }));
      expect((await session(bearer)).user.plan).toBe("pro");
      // A late deletion of an older subscription does not take away the current one.
      expect(await (await webhook(subscriptionDeleted("sub_D", "cus_D"))).json()).toMatchObject({
        applied: false,
        ignored: "other_subscription",
      });
      expect((await session(bearer)).user.plan).toBe("pro");

      const other = await userToken("grace", "Grace");
      const otherId = (await session(other)).user.id;
      // Nothing stored links these Stripe ids to the user: only the subscription's metadata.user_id can.
      await webhook(checkoutCompleted(otherId, { customer: null, subscription: null }));
      expect((await session(other)).user.plan).toBe("pro");
      await webhook(subscriptionDeleted("sub_unknown", "cus_unknown", { user_id: otherId }));
      expect((await session(other)).user.plan).toBe("free");
    });

    it("answers 400 JSON for a bad, missing or too old signature and changes nothing", async () => {
      const event = checkoutCompleted(userId);
      const wrongSecret = await webhook(event, { secret: "whsec_someone_else" });
      expect(wrongSecret.status).toBe(400);
      expect(await wrongSecret.json()).toMatchObject({ error: "bad_request", message: expect.any(String) });

      const tooOld = await webhook(event, { timestamp: Math.floor(Date.now() / 1000) - 301 });
      expect(tooOld.status).toBe(400);
      expect((await tooOld.json()).error).toBe("bad_request");

      const { signature } = signedPayload(event);
      const tampered = JSON.stringify({ ...event, id: "evt_forged" });
      const res = await webhookPost(
        requestFor(
          "/api/billing/webhook",
          { headers: { "stripe-signature": signature } },
          { body: tampered },
        ),
      );
      expect(res.status).toBe(400);
      const unsigned = await webhookPost(
        requestFor("/api/billing/webhook", {}, { body: JSON.stringify(event) }),
      );
      expect(unsigned.status).toBe(400);
      expect((await session(bearer)).user.plan).toBe("free");
      // The refused event id was not burnt: the genuine delivery still applies.
      expect((await (await webhook(event)).json()).applied).toBe(true);
    });

    it("accepts a signature just inside the 300 s tolerance", async () => {
      const res = await webhook(checkoutCompleted(userId), {
        timestamp: Math.floor(Date.now() / 1000) - 290,
      });
      expect(res.status).toBe(200);
    });

    it("ignores unknown events and checkouts without a usable user id with 200", async () => {
      const unknown = await webhook(stripeEvent("invoice.paid", { id: "in_1", object: "invoice" }));
      expect(unknown.status).toBe(200);
      expect(await unknown.json()).toMatchObject({ applied: false, ignored: "unhandled_event_type" });
      for (const bad of [null, "has space", "x".repeat(201)]) {
        const res = await webhook(checkoutCompleted(bad));
        expect(await res.json(), String(bad)).toMatchObject({ applied: false, ignored: "no_user" });
      }
      const gone = await webhook(subscriptionDeleted("sub_never", "cus_never"));
      expect(await gone.json()).toMatchObject({ applied: false, ignored: "unknown_customer" });
    });

    it("caps the raw body and insists on JSON", async () => {
      const huge = checkoutCompleted(userId);
      (huge.data.object as Record<string, unknown>).padding = "x".repeat(300 * 1024);
      const tooLarge = await webhook(huge);
      expect(tooLarge.status).toBe(413);
      expect((await tooLarge.json()).error).toBe("payload_too_large");
      const form = await webhook(checkoutCompleted(userId), {}, "text/plain");
      expect(form.status).toBe(415);
    });

    it("does not exist without STRIPE_WEBHOOK_SECRET", async () => {
      configure({ STRIPE_WEBHOOK_SECRET: "" });
      const res = await webhook(checkoutCompleted(userId));
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe("not_found");
    });
  });
}
