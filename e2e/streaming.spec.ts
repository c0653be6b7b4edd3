// Reading while a reply streams: the caret stays at the end of the text, the view follows the stream only while
// the reader is at the bottom, and "scroll to latest" brings them back (mouse, keyboard, phone).
import type { Page } from "@playwright/test";
import { ChatPage, expect, screenshotLooks, test, VIEWPORTS } from "../test/support/e2e";

// Slow enough to act while a reply streams (the long demo reply takes ~10 s).
test.use({
  appEnv: {
    OFFLINE_MODEL_DELAY_MS: "30",
    RATE_LIMIT_CHAT_PER_MIN: "0",
    RATE_LIMIT_CHAT_PER_HOUR: "0",
    RATE_LIMIT_CHAT_IP_PER_MIN: "0",
  },
});

const scroller = (page: Page) => page.locator(".scroller");
const distanceToBottom = (page: Page) =>
  scroller(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
const replyLength = async (chat: ChatPage) => ((await chat.lastReply.textContent()) ?? "").length;

test("while a reply streams, the caret sits at the end of its last line of text, and goes when it ends", async ({
  page,
}) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.send("List the steps to deploy on Vercel, and compare options in a table please");

  const caret = chat.lastReply.locator(".caret");
  await expect(caret).toHaveCount(1);
  const samples: { parent: string; sameLine: boolean }[] = [];
  for (let i = 0; i < 30; i++) {
    // evaluateAll reads whatever is there without waiting: once the reply ends there is no caret to wait for
    // (a waiting `evaluate` here sat out the whole test timeout when the reply ended between two reads).
    const sample = await caret.evaluateAll((carets) => {
      const el = carets[0];
      if (!el) return null;
      if (!el.isConnected) return "replaced"; // by a newer render between finding and reading it (CI saw this)
      const previous = el.previousSibling;
      const range = document.createRange();
      if (previous) range.selectNodeContents(previous);
      const last = previous ? [...range.getClientRects()].at(-1) : undefined;
      const box = el.getBoundingClientRect();
      return {
        parent: el.parentElement?.tagName ?? "",
        // The caret's box overlaps the last line of text: it follows the words instead of starting a line.
        sameLine: last ? box.top < last.bottom && box.bottom > last.top : true,
      };
    });
    if (!sample) break; // the reply has ended
    if (sample !== "replaced") samples.push(sample);
    await page.waitForTimeout(100);
  }
  expect(samples.length).toBeGreaterThan(10);
  for (const sample of samples) {
    expect(["P", "LI", "TD", "TH", "STRONG", "EM", "CODE", "A"]).toContain(sample.parent);
    expect(sample.sameLine).toBe(true);
  }
  await chat.waitForReply();
  await expect(caret).toHaveCount(0);
});

test("the view follows the stream only at the bottom; scrolling up stops it and offers 'scroll to latest'", async ({
  page,
}, testInfo) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.sendAndWait("hello");
  await chat.send("Show me what Markdown can do");
  await expect(chat.lastReply).toContainText("offline demo model");

  // At the bottom: the newest words stay in view as the reply grows.
  for (let i = 0; i < 3; i++) {
    const before = await replyLength(chat);
    await expect.poll(() => replyLength(chat)).toBeGreaterThan(before);
    // The view follows in the frame after the words land: read it once that frame has run (a direct read
    // caught the 22 px between the two, once).
    await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
  }
  await expect(page.getByTestId("scroll-to-latest")).toHaveCount(0);

  // Scrolling up lets go: the reply keeps growing below, the view stays where the reader put it.
  // (On a slow machine the reply may not overflow the view yet: wait until there is somewhere to scroll to.)
  await expect
    .poll(() => scroller(page).evaluate((el) => el.scrollHeight - el.clientHeight), { timeout: 20_000 })
    .toBeGreaterThan(500);
  await scroller(page).hover();
  await page.mouse.wheel(0, -400);
  await expect(page.getByTestId("scroll-to-latest")).toBeVisible();
  const readingAt = await scroller(page).evaluate((el) => el.scrollTop);
  const grown = await replyLength(chat);
  await expect.poll(() => replyLength(chat)).toBeGreaterThan(grown + 40);
  expect(await scroller(page).evaluate((el) => el.scrollTop)).toBe(readingAt);
  expect(await distanceToBottom(page)).toBeGreaterThan(100);

  // The button brings the reader back and the view follows again; focus goes to the message box.
  await page.getByTestId("scroll-to-latest").click();
  await expect(page.getByTestId("scroll-to-latest")).toHaveCount(0);
  await expect(chat.composer).toBeFocused();
  const back = await replyLength(chat);
  await expect.poll(() => replyLength(chat)).toBeGreaterThan(back);
  await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
  await chat.waitForReply();

  // Keyboard only: from the message box, Shift+Tab reaches the button; Enter takes the reader down.
  await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(page.getByTestId("scroll-to-latest")).toBeVisible();
  await chat.composer.focus();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByTestId("scroll-to-latest")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
  await expect(page.getByTestId("scroll-to-latest")).toHaveCount(0);

  // A phone: swipe-scrolling up (here: moving the view up) shows the button; a tap brings the end back.
  await page.setViewportSize(VIEWPORTS.phone);
  await scroller(page).evaluate((el) => el.scrollBy({ top: -500 }));
  await expect(page.getByTestId("scroll-to-latest")).toBeVisible();
  await page.getByTestId("scroll-to-latest").click();
  await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
  await page.setViewportSize(VIEWPORTS.desktop);

  await screenshotLooks(page, testInfo, "scroll-to-latest", async (p) => {
    await scroller(p).evaluate((el) => el.scrollTo({ top: el.scrollHeight / 3 }));
    await expect(p.getByTestId("scroll-to-latest")).toBeVisible();
  });
});

test("a new message always brings the view back down, even when the reader was up in the history", async ({
  page,
}) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.sendAndWait("Show me what Markdown can do");
  await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(page.getByTestId("scroll-to-latest")).toBeVisible();
  await chat.send("and another one");
  await expect(chat.userMessages).toHaveCount(2);
  await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
  await expect(page.getByTestId("scroll-to-latest")).toHaveCount(0);
  await chat.waitForReply();
});
