// The 429 experience in a real browser: inline bubble with a live countdown, Send again, never the paywall.
import type { Browser, Page } from "@playwright/test";
import { ChatPage, expect, test } from "../test/support/e2e";
import { roomInWindow } from "../test/support/windows";

// An 8 s "minute" leaves a countdown of several seconds to watch. Windows are aligned to the clock, so each
// sequence starts where the current window has room for it. Budget on, but far away: the paywall exists and
// must stay closed.
const WINDOW_SECONDS = 8;

test.use({
  appEnv: {
    RATE_LIMIT_CHAT_PER_MIN: "2",
    RATE_LIMIT_MINUTE_WINDOW_SECONDS: String(WINDOW_SECONDS),
    OFFLINE_MODEL_DELAY_MS: "5",
    AUTH_DEV_SIGNIN: "true",
    CHAT_DAILY_TOKEN_BUDGET: "1000000",
  },
});

const NOTICE = /^you're sending messages a bit fast — please wait ~(\d+)s$/;

/** A browser context that reaches the app as one client address (our trusted proxy hop would set it). */
async function clientAt(browser: Browser, ip: string, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext({ ...options, extraHTTPHeaders: { "x-forwarded-for": ip } });
  return context.newPage();
}

const send = (page: Page, text: string) => new ChatPage(page).send(text);
const sendAndWait = (page: Page, text: string) => new ChatPage(page).sendAndWait(text);

async function noticeSeconds(page: Page): Promise<number> {
  const text = ((await page.getByTestId("rate-limit-notice").textContent()) ?? "").trim();
  const match = NOTICE.exec(text);
  if (!match) throw new Error(`unexpected notice text: ${text}`);
  return Number(match[1]);
}

test("sending too fast shows the countdown bubble, keeps the text, and Send again works once", async ({
  browser,
  appUrl,
}, testInfo) => {
  const page = await clientAt(browser, "198.51.100.11");
  await page.goto(appUrl);
  await roomInWindow(WINDOW_SECONDS, 6_000);
  await sendAndWait(page, "first");
  await sendAndWait(page, "second");
  await send(page, "third, too fast");

  const notice = page.getByTestId("rate-limit-notice");
  await expect(notice).toHaveText(NOTICE);
  await expect(notice).toHaveAttribute("role", "status");
  await expect(notice).toHaveAttribute("aria-live", "polite");
  await expect(page.getByTestId("paywall")).toBeHidden();
  // Streaming state cleared at once; the refused message is not left as a (duplicate) user message.
  await expect(page.getByTestId("stop-button")).toHaveCount(0);
  await expect(page.getByTestId("assistant-pending")).toHaveCount(0);
  await expect(page.getByTestId("composer-input")).toBeEditable();
  await expect(page.getByTestId("message-user")).toHaveCount(2);
  await expect(page.getByTestId("rate-limit-pending")).toHaveText("third, too fast");
  await expect(page.getByTestId("send-again")).toBeDisabled();

  const first = await noticeSeconds(page);
  expect(first).toBeGreaterThanOrEqual(2);
  await expect.poll(() => noticeSeconds(page), { timeout: 5_000 }).toBeLessThan(first);
  await page
    .getByTestId("rate-limit-bubble")
    .screenshot({ path: testInfo.outputPath("rate-limit-bubble.png") });
  await testInfo.attach("rate-limit-bubble", {
    path: testInfo.outputPath("rate-limit-bubble.png"),
    contentType: "image/png",
  });

  await expect(notice).toHaveText("you can send again now", { timeout: 15_000 });
  await page.getByTestId("send-again").click();
  await expect(page.getByTestId("rate-limit-bubble")).toHaveCount(0);
  await expect(page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("message-user")).toHaveText(["first", "second", "third, too fast"]);
  await expect(page.getByTestId("message-assistant")).toHaveCount(3);

  // The bubble was client state only: the stored conversation holds exactly the three exchanges.
  await page.reload();
  await expect(page.getByTestId("message-user")).toHaveText(["first", "second", "third, too fast"]);
  await expect(page.getByTestId("message-assistant")).toHaveCount(3);
  await expect(page.getByText("sending messages a bit fast")).toHaveCount(0);
});

test("a signed-in user and an anonymous user on the same machine hit their own limits", async ({
  browser,
  appUrl,
}) => {
  const ip = "198.51.100.22";
  const guest = await clientAt(browser, ip);
  const member = await clientAt(browser, ip);
  await member.goto(appUrl);
  await member.getByTestId("signin-name").fill("Ada Lovelace");
  await member.getByTestId("signin-button").click();
  await expect(member.getByTestId("current-user")).toHaveText("Ada Lovelace");
  await guest.goto(appUrl);
  await expect(guest.getByTestId("current-user")).toHaveText("Guest");

  await roomInWindow(WINDOW_SECONDS, 5_000);
  await sendAndWait(guest, "guest one");
  await sendAndWait(guest, "guest two");
  await send(guest, "guest three");
  await expect(guest.getByTestId("rate-limit-notice")).toHaveText(NOTICE);

  // The guest's limit is spent; the member on the same address still has their own two.
  await roomInWindow(WINDOW_SECONDS, 5_000);
  await sendAndWait(member, "member one");
  await sendAndWait(member, "member two");
  await expect(member.getByTestId("rate-limit-bubble")).toHaveCount(0);
  await send(member, "member three");
  await expect(member.getByTestId("rate-limit-notice")).toHaveText(NOTICE);
  await expect(member.getByTestId("message-user")).toHaveCount(2);
});

test("the bubble is readable on a 375 px phone in dark mode", async ({ browser, appUrl }, testInfo) => {
  const page = await clientAt(browser, "198.51.100.33", {
    viewport: { width: 375, height: 812 },
    colorScheme: "dark",
    isMobile: true,
    hasTouch: true,
  });
  await page.goto(appUrl);
  await roomInWindow(WINDOW_SECONDS, 5_000);
  await sendAndWait(page, "one");
  await sendAndWait(page, "two");
  await send(page, "three");
  const bubble = page.getByTestId("rate-limit-bubble");
  await expect(page.getByTestId("rate-limit-notice")).toHaveText(NOTICE);
  await bubble.scrollIntoViewIfNeeded();
  const box = await bubble.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 999) <= 375).toBe(true);
  const style = await page.getByTestId("rate-limit-notice").evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      fontSize: Number.parseFloat(s.fontSize),
      color: s.color,
      background: getComputedStyle(document.body).backgroundColor,
    };
  });
  expect(style.fontSize).toBeGreaterThanOrEqual(14);
  // Dark mode: a dark page background with light text.
  const luminance = (rgb: string) => {
    const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).map(Number);
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  expect(luminance(style.background)).toBeLessThan(80);
  expect(luminance(style.color)).toBeGreaterThan(150);
  await page.screenshot({ path: testInfo.outputPath("rate-limit-phone-dark.png") });
  await testInfo.attach("rate-limit-phone-dark", {
    path: testInfo.outputPath("rate-limit-phone-dark.png"),
    contentType: "image/png",
  });
});
