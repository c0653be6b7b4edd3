// Stripe webhooks against two `next start` instances sharing one Redis: an upgrade received by one is the
// plan everywhere (the next message gets the pro limits); replays, forged and stale signatures change nothing;
// a cancelled subscription restores free.
import type { AppServer } from "../test/support/app-server";
import { expect, postChat, test, withRedisBackedApps } from "../test/support/e2e";
import {
  checkoutCompleted,
  type SignOptions,
  signedPayload,
  subscriptionDeleted,
  TEST_WEBHOOK_SECRET,
} from "../test/support/stripe";

const shared = withRedisBackedApps(2, {
  AUTH_DEV_SIGNIN: "true",
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  PAYWALL_URL: "https://buy.stripe.com/test_link",
});

async function postEvent(app: AppServer, event: object, options: SignOptions = {}) {
  const { payload, signature } = signedPayload(event, options);
  const res = await fetch(`${app.url}/api/billing/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The per-minute limit the next chat message is admitted under, from its RateLimit-Policy header. */
async function minuteLimitOfNextMessage(app: AppServer, cookie: string): Promise<number> {
  const res = await postChat(app, "198.51.100.60", { headers: { cookie } });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return Number(/"min";q=(\d+)/.exec(res.headers.get("ratelimit-policy") ?? "")?.[1]);
}

async function planOn(app: AppServer, cookie: string): Promise<string> {
  const res = await fetch(`${app.url}/api/session`, { headers: { cookie } });
  return ((await res.json()) as { user: { plan: string } }).user.plan;
}

test("an upgrade received by one instance is the plan on the other, and only once", async ({ page }) => {
  const [first, second] = shared.apps as [AppServer, AppServer];
  // Sign in through the UI of the second instance; the session cookie works on both (same AUTH_SECRET).
  await page.goto(second.url);
  await page.getByTestId("signin-name").fill("Stripe Buyer");
  await page.getByTestId("signin-button").click();
  await expect(page.getByTestId("current-plan")).toHaveText("Free plan");
  await expect(page.getByTestId("limit-per-minute")).toHaveText("5");
  const cookie = (await page.context().cookies(second.url))
    .filter((c) => c.name === "chat_session")
    .map((c) => `${c.name}=${c.value}`)
    .join("");
  const { user } = (await (await page.request.get(`${second.url}/api/session`)).json()) as {
    user: { id: string };
  };
  await expect(page.getByTestId("account-upgrade")).toHaveAttribute(
    "href",
    `https://buy.stripe.com/test_link?client_reference_id=${user.id}`,
  );

  expect(await minuteLimitOfNextMessage(second, cookie)).toBe(5);

  // Stripe delivers the completed checkout to whichever instance it reaches: here the first.
  const upgrade = checkoutCompleted(user.id, { customer: "cus_e2e", subscription: "sub_e2e" });
  expect(await postEvent(first, upgrade)).toMatchObject({
    status: 200,
    body: { applied: true, plan: "pro" },
  });
  expect(await planOn(second, cookie)).toBe("pro");
  // The very next message, on the other instance, is admitted under the pro limits: no redeploy, no restart.
  expect(await minuteLimitOfNextMessage(second, cookie)).toBe(20);
  await page.reload();
  await expect(page.getByTestId("current-plan")).toHaveText("Pro plan");
  await expect(page.getByTestId("limit-per-minute")).toHaveText("20");
  await expect(page.getByTestId("limit-per-hour")).toHaveText("240");
  await expect(page.getByTestId("account-upgrade")).toHaveCount(0);

  // Replayed (to the other instance), forged, or captured long ago: nothing changes.
  expect(await postEvent(second, upgrade)).toMatchObject({
    status: 200,
    body: { applied: false, duplicate: true },
  });
  const forged = await postEvent(second, subscriptionDeleted("sub_e2e", "cus_e2e"), {
    secret: "whsec_attacker",
  });
  expect(forged).toMatchObject({ status: 400, body: { error: "bad_request" } });
  const stale = await postEvent(second, subscriptionDeleted("sub_e2e", "cus_e2e"), {
    timestamp: Math.floor(Date.now() / 1000) - 600,
  });
  expect(stale).toMatchObject({ status: 400, body: { error: "bad_request" } });
  expect(await planOn(first, cookie)).toBe("pro");

  // The subscription is cancelled: the event carries no client_reference_id, only Stripe's ids.
  const downgrade = await postEvent(second, subscriptionDeleted("sub_e2e", "cus_e2e"));
  expect(downgrade).toMatchObject({ status: 200, body: { applied: true, plan: "free", user_id: user.id } });
  expect(await planOn(first, cookie)).toBe("free");
  expect(await minuteLimitOfNextMessage(first, cookie)).toBe(5);
  await page.reload();
  await expect(page.getByTestId("current-plan")).toHaveText("Free plan");
  await expect(page.getByTestId("limit-per-minute")).toHaveText("5");
});
