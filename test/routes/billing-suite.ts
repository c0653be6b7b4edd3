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
  subscriptionUpdated,
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

/** Every order of `items`. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
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

    it("customer.subscription.deleted ends its own subscription; a late deletion of an older one takes nothing", async () => {
      await webhook(checkoutCompleted(userId, { customer: "cus_C", subscription: "sub_C" }));
      const res = await webhook(subscriptionDeleted("sub_C", "cus_C"));
      expect(await res.json()).toMatchObject({ applied: true, user_id: userId, plan: "free" });
      expect((await session(bearer)).user.plan).toBe("free");

      await webhook(checkoutCompleted(userId, { customer: "cus_C", subscription: "sub_C2" }));
      expect((await session(bearer)).user.plan).toBe("pro");
      // The old subscription's deletion delivered again (a new event id): it has ended already.
      expect(await (await webhook(subscriptionDeleted("sub_C", "cus_C"))).json()).toMatchObject({
        applied: false,
        ignored: "subscription_ended",
      });
      // Neither the customer nor metadata.user_id makes another subscription's deletion this user's.
      await webhook(subscriptionDeleted("sub_unknown", "cus_C", { user_id: userId }));
      expect((await session(bearer)).user.plan).toBe("pro");
    });

    it("someone else's checkout for a paying user, then cancelled, leaves them pro (every subscription is tracked)", async () => {
      await webhook(checkoutCompleted(userId, { subscription: "sub_victim" }));
      // Anyone can open the Payment Link with ?client_reference_id=<victim's id> and pay once.
      const planted = await webhook(checkoutCompleted(userId, { subscription: "sub_planted" }));
      expect(await planted.json()).toMatchObject({ applied: true, user_id: userId, plan: "pro" });
      const cancelled = await webhook(subscriptionDeleted("sub_planted", "cus_x"));
      expect(await cancelled.json()).toMatchObject({ applied: true, user_id: userId, plan: "pro" });
      expect((await session(bearer)).user.plan).toBe("pro");
      // Their own subscription's end is what ends pro.
      await webhook(subscriptionDeleted("sub_victim", "cus_y"));
      expect((await session(bearer)).user.plan).toBe("free");
    });

    describe("events in any arrival order, each delivered more than once, end in the same plan", () => {
      const T = Math.floor(Date.now() / 1000) - 120;
      const scenarios: { name: string; expected: string; events: (user: string, sub: string) => object[] }[] =
        [
          {
            name: "checkout, updated active, deleted",
            expected: "free",
            events: (user, sub) => [
              checkoutCompleted(user, { subscription: sub, created: T }),
              subscriptionUpdated(sub, "active", T + 10),
              subscriptionDeleted(sub, "cus_p", {}, T + 20),
            ],
          },
          {
            name: "checkout, updated unpaid, updated active",
            expected: "pro",
            events: (user, sub) => [
              checkoutCompleted(user, { subscription: sub, created: T }),
              subscriptionUpdated(sub, "unpaid", T + 10),
              subscriptionUpdated(sub, "active", T + 20),
            ],
          },
          {
            name: "checkout, updated active, updated unpaid",
            expected: "free",
            events: (user, sub) => [
              checkoutCompleted(user, { subscription: sub, created: T }),
              subscriptionUpdated(sub, "active", T + 10),
              subscriptionUpdated(sub, "unpaid", T + 20),
            ],
          },
          {
            name: "unpaid checkout, deleted, async payment succeeded",
            expected: "free",
            events: (user, sub) => [
              checkoutCompleted(user, { subscription: sub, payment_status: "unpaid", created: T }),
              subscriptionDeleted(sub, "cus_p", {}, T + 10),
              checkoutCompleted(user, {
                subscription: sub,
                created: T + 20,
                type: "checkout.session.async_payment_succeeded",
              }),
            ],
          },
        ];
      for (const scenario of scenarios) {
        it(`${scenario.name}: ${scenario.expected} in all 6 orders`, async () => {
          const outcomes: string[] = [];
          for (const [n, order] of permutations([0, 1, 2]).entries()) {
            const token = await userToken(`order-${n}`);
            const id = (await session(token)).user.id;
            const events = scenario.events(id, `sub_order_${n}`);
            // Each event twice in a row (the plan is read then), then all once more in reverse: at least once.
            for (const i of order.flatMap((i) => [i, i])) {
              expect((await webhook(events[i] as object)).status).toBe(200);
            }
            const afterOrder = (await session(token)).user.plan;
            for (const i of [...order].reverse())
              expect((await webhook(events[i] as object)).status).toBe(200);
            outcomes.push(`${order.join("")}:${afterOrder},${(await session(token)).user.plan}`);
          }
          const expected = `${scenario.expected},${scenario.expected}`;
          expect(outcomes).toEqual(permutations([0, 1, 2]).map((o) => `${o.join("")}:${expected}`));
        });
      }
    });

    it("only a paid or trialing subscription checkout grants pro; a payment or setup session is ignored", async () => {
      const payment = await webhook(checkoutCompleted(userId, { mode: "payment", subscription: null }));
      expect(await payment.json()).toMatchObject({ applied: false, ignored: "not_a_subscription" });
      const setup = await webhook(
        checkoutCompleted(userId, {
          mode: "setup",
          subscription: null,
          payment_status: "no_payment_required",
        }),
      );
      expect(await setup.json()).toMatchObject({ applied: false, ignored: "not_a_subscription" });
      const noSubscription = await webhook(checkoutCompleted(userId, { subscription: null }));
      expect(await noSubscription.json()).toMatchObject({ applied: false, ignored: "not_a_subscription" });
      // A subscription with nothing to pay and no trial said: its own events decide.
      const unpaid = await webhook(
        checkoutCompleted(userId, { subscription: "sub_free", payment_status: "no_payment_required" }),
      );
      expect(await unpaid.json()).toMatchObject({ applied: true, user_id: userId, plan: "free" });
      expect((await session(bearer)).user.plan).toBe("free");
      const trial = await webhook(
        checkoutCompleted(userId, {
          subscription: { id: "sub_trial", object: "subscription", status: "trialing" },
          payment_status: "no_payment_required",
        }),
      );
      expect(await trial.json()).toMatchObject({ applied: true, user_id: userId, plan: "pro" });
    });

    it("with STRIPE_PAYMENT_LINK_ID, only that Payment Link's checkouts count", async () => {
      configure({ STRIPE_PAYMENT_LINK_ID: "plink_ours123" });
      const other = await webhook(checkoutCompleted(userId, { payment_link: "plink_other456" }));
      expect(await other.json()).toMatchObject({ applied: false, ignored: "other_payment_link" });
      const none = await webhook(checkoutCompleted(userId));
      expect(await none.json()).toMatchObject({ applied: false, ignored: "other_payment_link" });
      expect((await session(bearer)).user.plan).toBe("free");
      const ours = await webhook(checkoutCompleted(userId, { payment_link: "plink_ours123" }));
      expect(await ours.json()).toMatchObject({ applied: true, plan: "pro" });
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
      // A subscription no checkout has named yet: its end is remembered, no one's plan changes.
      const gone = await webhook(subscriptionDeleted("sub_never", "cus_never"));
      const goneBody = await gone.json();
      expect(goneBody).toMatchObject({ applied: true, subscription_id: "sub_never" });
      expect(goneBody.user_id).toBeUndefined();
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
