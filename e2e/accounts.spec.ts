// Real sign-in through a local OpenID Connect provider: chat as that user, sign out, guest → account, two users on one IP.

import type { Browser, BrowserContext, Page } from "@playwright/test";
import { type AppServer, freePort, startApp } from "../test/support/app-server";
import { chatBody, newId } from "../test/support/chat-body";
import { ChatPage, expect, test } from "../test/support/e2e";
import { type OidcProviderFixture, startOidcProvider } from "../test/support/oidc-provider";

let idp: OidcProviderFixture;
let app: AppServer;
const ADMIN_TOKEN = "accounts-admin-token-0123456789abcdefghijklmn";

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const port = await freePort();
  idp = await startOidcProvider({ redirectUri: `http://127.0.0.1:${port}/api/auth/callback/oidc` });
  app = await startApp(
    {
      AUTH_OIDC_ISSUER: idp.issuer,
      AUTH_OIDC_CLIENT_ID: idp.clientId,
      AUTH_OIDC_CLIENT_SECRET: idp.clientSecret,
      AUTH_OIDC_NAME: "Test IdP",
      // Self-hosted without NEXTAUTH_URL: Auth.js takes the origin from the Host header.
      AUTH_TRUST_HOST: "true",
      OFFLINE_MODEL_DELAY_MS: "5",
      RATE_LIMIT_CHAT_PER_MIN: "2",
      ADMIN_TOKEN,
    },
    { port },
  );
});

test.afterAll(async () => {
  await app?.stop();
  await idp?.close();
});

type Session = { user: { id: string; name: string; plan: string } | null; limits: { plan: string } };

async function session(page: Page): Promise<Session> {
  return (await (await page.request.get(`${app.url}/api/session`)).json()) as Session;
}

/**
 * Clicks "Sign in with Test IdP", logs in on the provider's own page, and lands back in the app. With
 * `alreadyAtProvider` the provider still has its own session (signing out of the app doesn't end it, as
 * with any real single sign-on), so it sends the browser straight back without asking.
 */
async function signIn(page: Page, username: string, alreadyAtProvider = false): Promise<void> {
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  if (!alreadyAtProvider) {
    await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
    await page.getByLabel("Username").fill(username);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await expect(page).toHaveURL(new RegExp(`^${app.url}/`));
  await expect(page.getByTestId("current-user")).toHaveText(
    `${username[0]?.toUpperCase()}${username.slice(1)} Example`,
  );
}

async function newPage(
  browser: Browser,
  headers: Record<string, string> = {},
): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ extraHTTPHeaders: headers });
  const page = await context.newPage();
  await page.goto(app.url);
  await expect(page.getByTestId("current-user")).toHaveText("Guest");
  return [context, page];
}

test("sign in with OpenID Connect, chat as that user, sign out, come back to the same account", async ({
  browser,
}, testInfo) => {
  const [context, page] = await newPage(browser);
  await expect(page.getByTestId("current-plan")).toHaveText("Guest plan");
  await page.getByTestId("plan-summary").screenshot({ path: testInfo.outputPath("guest-panel.png") });

  await signIn(page, "alice");
  await expect(page.getByTestId("current-plan")).toHaveText("Free plan");
  await expect(page.getByTestId("limit-per-minute")).toHaveText("2");
  const me = await session(page);
  expect(me.user).toMatchObject({ name: "Alice Example", plan: "free" });
  expect(me.user?.id).toMatch(/^oidc_[A-Za-z0-9_-]{32}$/);
  expect(idp.logins()).toBeGreaterThanOrEqual(1);
  // The sign-in recorded the provider's name: the operator console finds the account by it.
  const found = await fetch(`${app.url}/api/admin/users?name=ALICE%20ex`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(await found.json()).toEqual({ users: [{ key: `user:${me.user?.id}`, name: "Alice Example" }] });
  await page.locator("#account").screenshot({ path: testInfo.outputPath("signed-in-panel.png") });

  const chat = new ChatPage(page);
  await chat.sendAndWait("hello from alice");
  await expect(page.getByTestId("conversation-item")).toHaveCount(1);

  await page.getByTestId("signout-button").click();
  await expect(page.getByTestId("current-user")).toHaveText("Guest");
  expect((await session(page)).user).toBeNull();
  await expect(page.getByTestId("conversation-item")).toHaveCount(0);

  // Same provider account → same user id → the same conversations.
  const loginsBefore = idp.logins();
  await signIn(page, "alice", true);
  expect(idp.logins()).toBe(loginsBefore);
  expect((await session(page)).user?.id).toBe(me.user?.id);
  await expect(page.getByTestId("conversation-item")).toHaveCount(1);
  await context.close();
});

test("a guest's conversation moves to the account on sign-in", async ({ browser }) => {
  const [context, page] = await newPage(browser);
  const chat = new ChatPage(page);
  await chat.sendAndWait("asked while a guest");
  await expect(page.getByTestId("conversation-item")).toHaveCount(1);
  const [guestConversation] = (
    (await (await page.request.get(`${app.url}/api/conversations`)).json()) as {
      conversations: { id: string }[];
    }
  ).conversations;

  await signIn(page, "bob");
  await expect(page.getByTestId("conversation-item")).toHaveCount(1);
  const mine = (await (await page.request.get(`${app.url}/api/conversations`)).json()) as {
    conversations: { id: string }[];
  };
  expect(mine.conversations.map((c) => c.id)).toEqual([guestConversation?.id]);
  await page.getByTestId("conversation-item").first().click();
  await expect(chat.userMessages.filter({ hasText: "asked while a guest" })).toHaveCount(1);
  // The account can keep writing to it: ownership moved with it.
  await chat.sendAndWait("and now signed in");
  await expect(chat.userMessages).toHaveCount(2);
  await context.close();
});

test("two users behind one IP each see their own user and have their own per-user limit", async ({
  browser,
}) => {
  const sharedIp = { "x-forwarded-for": "203.0.113.50" };
  const [contextD, dora] = await newPage(browser, sharedIp);
  const [contextE, erin] = await newPage(browser, sharedIp);
  await signIn(dora, "dora");
  await signIn(erin, "erin");
  const [d, e] = [await session(dora), await session(erin)];
  expect(d.user?.name).toBe("Dora Example");
  expect(e.user?.name).toBe("Erin Example");
  expect(d.user?.id).not.toBe(e.user?.id);

  const send = async (page: Page) => {
    const res = await page.request.post(`${app.url}/api/chat/message`, {
      headers: { "content-type": "application/json", ...sharedIp },
      data: chatBody(newId("two"), "hi"),
    });
    await res.body();
    return res.status();
  };
  // RATE_LIMIT_CHAT_PER_MIN=2 per user: Dora's third message is refused, Erin on the same IP is not.
  expect([await send(dora), await send(dora), await send(dora)]).toEqual([200, 200, 429]);
  expect(await send(erin)).toBe(200);
  await contextD.close();
  await contextE.close();
});
