// Issue 24: every control at 375 px is at least 44 × 44 px (chat, sidebar drawer, held messages, code blocks,
// the console), measured one by one; /admin opens with ADMIN_TOKEN alone; the "Acting as" chip is never cut off;
// the console finds a user by display name.
import type { Page } from "@playwright/test";
import { deriveUserId } from "../lib/identity/user-id";
import { ChatPage, expect, openChat, screenshotLooks, settle, test, VIEWPORTS } from "../test/support/e2e";

const ADMIN_TOKEN = "edges-admin-token-0123456789abcdefghijklmnop";
const OPERATOR = "Olga Operator-With-A-Long-Name";
const OPERATOR_KEY = `user:${deriveUserId("jwt", "hs256:", "dev-olga-operator-with-a-long-name")}`;

test.use({
  appEnv: {
    RATE_LIMIT_CHAT_PER_HOUR: "3",
    OFFLINE_MODEL_DELAY_MS: "0",
    CHAT_DAILY_TOKEN_BUDGET: "100000",
    AUTH_DEV_SIGNIN: "true",
    ADMIN_TOKEN,
    ADMIN_USER_IDS: OPERATOR_KEY,
  },
});
test.describe.configure({ timeout: 90_000 });

/** Every visible control on the page smaller than 44 × 44 px: what it is, and its size. */
async function smallControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector =
      'button, a.btn, a[href]:not(.md a):not(p a), input:not([type="hidden"]), select, textarea, summary, [role="button"], label:has(> input[type="radio"])';
    const small: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      const style = getComputedStyle(element);
      const rect = element.getBoundingClientRect();
      // Not shown: display none, hidden, visually hidden (1 px), or out of the page (the skip link).
      if (style.visibility === "hidden" || rect.width <= 1 || rect.height <= 1) continue;
      if (element.closest("[hidden], .sr-only") || rect.bottom < 0 || rect.right < 0) continue;
      if (element instanceof HTMLInputElement && element.type === "radio") continue; // its label is the target
      if (element instanceof HTMLInputElement && element.type === "checkbox" && element.disabled) continue;
      if (rect.width < 44 || rect.height < 44) {
        const name = (element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 30);
        const id = element.dataset.testid ?? element.className;
        small.push(
          `${element.tagName.toLowerCase()} ${id} "${name}" ${Math.round(rect.width)}×${Math.round(rect.height)}`,
        );
      }
    }
    return small;
  });
}

test("every control at 375 px is at least 44 × 44: chat, held messages, code blocks, the drawer, the console", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.211", {
    viewport: VIEWPORTS.phone,
    hasTouch: true,
  });
  const { page } = chat;
  expect(await smallControls(page)).toEqual([]); // the empty chat with its suggestions
  await chat.sendAndWait("show me some typescript code");
  await expect(page.locator(".code-block")).toHaveCount(1);
  await chat.sendAndWait("and a table please");
  await chat.sendAndWait("one more");
  await chat.send("this one is held");
  await expect(chat.held).toHaveCount(1);
  await settle(page);
  expect(await smallControls(page)).toEqual([]);
  await screenshotLooks(page, testInfo, "chat-held", async (p) => {
    await p.getByTestId("held-message").scrollIntoViewIfNeeded();
  });

  await page.setViewportSize(VIEWPORTS.phone);
  await page.getByRole("button", { name: "Open conversations menu" }).click();
  await settle(page);
  await expect(page.getByTestId("conversation-item")).toHaveCount(1);
  expect(await smallControls(page)).toEqual([]);
  await screenshotLooks(page, testInfo, "drawer", undefined, ["phone"]);
  await page.keyboard.press("Escape");

  await page.goto(`${appUrl}/admin`);
  await page.getByTestId("operator-token").fill(ADMIN_TOKEN);
  await page.getByTestId("operator-token").press("Enter");
  await expect(page.getByRole("heading", { name: "Operator console" })).toBeVisible();
  await page.getByTestId("lookup-key").fill("ip:198.51.100.211");
  await page.getByTestId("lookup-button").click();
  await expect(page.getByTestId("key-card")).toBeVisible();
  await settle(page);
  expect(await smallControls(page)).toEqual([]);
});

test("/admin opens with ADMIN_TOKEN alone: an HttpOnly, SameSite=Strict, short-lived cookie — never page storage", async ({
  browser,
  appUrl,
}, testInfo) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.212" } });
  const page = await context.newPage();
  await page.goto(`${appUrl}/admin`);
  await expect(page.getByTestId("admin-denied")).toContainText("enter the operator token below");
  await page.getByTestId("operator-token").fill("not-the-token-0123456789abcdefghijklmnop");
  await page.getByTestId("operator-signin").click();
  await expect(page.getByTestId("operator-signin-error")).toHaveText(
    "That is not this app's operator token (ADMIN_TOKEN).",
  );

  await page.getByTestId("operator-token").fill(ADMIN_TOKEN);
  await page.getByTestId("operator-signin").click();
  await expect(page.getByRole("heading", { name: "Operator console" })).toBeVisible();
  await expect(page.getByTestId("acting-as")).toHaveText("Acting as admin-token");
  const cookie = (await context.cookies()).find((c) => c.name === "chat_operator");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  expect((cookie?.expires ?? 0) * 1000 - Date.now()).toBeLessThanOrEqual(3_600_000);
  expect((cookie?.expires ?? 0) * 1000 - Date.now()).toBeGreaterThan(3_000_000);
  const pageState = await page.evaluate(() =>
    JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]),
  );
  expect(pageState).not.toContain(ADMIN_TOKEN);
  expect(pageState).not.toContain(cookie?.value ?? "no cookie");

  // The console works through it: a lookup, and a change the audit log names as the token's.
  await page.getByTestId("lookup-key").fill("ip:198.51.100.99");
  await page.getByTestId("lookup-button").click();
  await expect(page.getByTestId("key-card")).toContainText("ip:198.51.100.99");
  await page.getByTestId("reset-key").click();
  await expect(page.getByTestId("key-outcome")).toContainText("Reset ip:198.51.100.99");
  await screenshotLooks(page, testInfo, "console-token");

  // Another site's page can't use it (SameSite=Strict), nor can the cookie be used as a user's Bearer token.
  const asBearer = await fetch(`${appUrl}/api/session`, {
    headers: { authorization: `Bearer ${cookie?.value}` },
  });
  expect(asBearer.status).toBe(401);
  await page.getByTestId("operator-signout").click();
  await expect(page.getByTestId("admin-denied")).toBeVisible();
});

test("the 'Acting as' chip shows an operator's whole key, also at 375 px", async ({ browser, appUrl }) => {
  const context = await browser.newContext({
    viewport: VIEWPORTS.phone,
    extraHTTPHeaders: { "x-forwarded-for": "198.51.100.213" },
  });
  expect(
    (await context.request.post(`${appUrl}/api/auth/dev-signin`, { data: { name: OPERATOR } })).status(),
  ).toBe(200);
  const page = await context.newPage();
  await page.goto(`${appUrl}/admin`);
  const chip = page.locator(".admin-bar .badge");
  await expect(chip).toHaveText(`Acting as ${OPERATOR_KEY}`);
  const clipped = await chip.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(clipped).toBe(false);
  const box = await chip.boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
});

test("the console finds a signed-in user by name: typed 'ada', picked by keyboard, her key looked up", async ({
  browser,
  appUrl,
}, testInfo) => {
  const adaKey = `user:${deriveUserId("jwt", "hs256:", "dev-ada-lovelace")}`;
  const adaContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.214" } });
  const signIn = await adaContext.request.post(`${appUrl}/api/auth/dev-signin`, {
    data: { name: "Ada Lovelace" },
  });
  expect(signIn.status()).toBe(200);
  const adaPage = await adaContext.newPage();
  await adaPage.goto(appUrl);
  const ada = new ChatPage(adaPage);
  await expect(ada.composer).toBeEditable();
  await ada.sendAndWait("hello from Ada");

  const context = await browser.newContext({
    viewport: VIEWPORTS.phone,
    hasTouch: true,
    extraHTTPHeaders: { "x-forwarded-for": "198.51.100.215" },
  });
  const page = await context.newPage();
  await page.goto(`${appUrl}/admin`);
  await page.getByTestId("operator-token").fill(ADMIN_TOKEN);
  await page.getByTestId("operator-token").press("Enter");
  await expect(page.getByRole("heading", { name: "Operator console" })).toBeVisible();
  const lookup = page.getByTestId("lookup-key");
  await expect(lookup).toHaveAttribute("placeholder", /name/);

  // Not a key: a search by name, which says when nobody matches.
  await lookup.fill("zzz");
  await lookup.press("Enter");
  await expect(page.getByTestId("key-outcome")).toHaveText("No signed-in user's name starts with “zzz”.");
  await expect(page.getByTestId("name-match")).toHaveCount(0);

  await lookup.fill("ada");
  await lookup.press("Enter");
  const match = page.getByTestId("name-match");
  await expect(match).toHaveCount(1);
  await expect(match).toContainText("Ada Lovelace");
  await expect(match).toContainText(adaKey);
  await settle(page);
  expect(await smallControls(page)).toEqual([]);

  // Keyboard only: Tab from the box to the match, Enter opens her key with what she has used.
  for (let i = 0; i < 5 && !(await match.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(match).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("key-card")).toContainText(adaKey);
  await expect(match).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("row", { name: /Per hour/ })).toContainText("2 of 3");
  await settle(page);
  expect(await smallControls(page)).toEqual([]);
  await screenshotLooks(page, testInfo, "console-by-name");
});
