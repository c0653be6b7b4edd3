// The empty state's suggested prompts: a click (or Enter) sends through the normal send path, so it is a
// message like any other — the offline model answers with its demo rendering, and the limiter counts it.
import { expect, openChat, screenshotLooks, test, VIEWPORTS } from "../test/support/e2e";

// One message per minute per client: the second suggestion is refused like a typed message would be.
test.use({ appEnv: { RATE_LIMIT_CHAT_PER_MIN: "1", OFFLINE_MODEL_DELAY_MS: "0" } });

test("a suggestion sends its prompt as a message (keyboard too), and the next one is limited like any message", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.61");
  const page = chat.page;
  await expect(chat.suggestions).toHaveCount(4);
  await screenshotLooks(page, testInfo, "empty-state");

  // Keyboard only: Tab to the first suggestion, Enter sends it; focus lands in the message box.
  const first = chat.suggestions.first();
  await first.focus();
  const prompt = "Write a TypeScript function that rate-limits calls per user";
  await page.keyboard.press("Enter");
  await expect(chat.userMessages).toHaveText(prompt);
  await chat.waitForReply();
  await expect(chat.composer).toBeFocused();
  await expect(chat.lastReply.getByTestId("code-block")).toHaveCount(1);
  await expect(chat.suggestions).toHaveCount(0);
  expect((await chat.storedMessages()).map((m) => m.text)[0]).toBe(prompt);

  // A second suggestion in a new chat within the minute: the same 429 bubble a typed message gets.
  await page.getByTestId("new-chat").click();
  await chat.suggestions.nth(1).click();
  await expect(chat.bubble).toBeVisible();
  await expect(chat.heldTexts).toHaveText([
    "Compare fixed window, sliding window and token bucket rate limiting in a table",
  ]);
  await expect(chat.userMessages).toHaveCount(0);
});

test("on a 375 px touch phone the suggestions stack and a tap sends", async ({ browser, appUrl }) => {
  const chat = await openChat(browser, appUrl, "198.51.100.62", {
    viewport: VIEWPORTS.phone,
    hasTouch: true,
    isMobile: true,
  });
  await expect(chat.suggestions).toHaveCount(4);
  const boxes = await chat.suggestions.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().x));
  expect(new Set(boxes).size).toBe(1); // one column
  expect(await chat.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  await chat.suggestions.nth(2).tap();
  await chat.waitForReply();
  await expect(chat.lastReply.locator("ol > li")).toHaveCount(4);
});
