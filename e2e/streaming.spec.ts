// Reading while a reply streams: the caret stays at the end of the text, the view follows the stream only while
// the reader is at the bottom, and "scroll to latest" brings them back (mouse, keyboard, phone).
//
// The model is the fake OpenAI-compatible server, paced by the test (`held` + `release`): a reply grows only when
// the test lets more words out, so no step depends on how fast a loaded machine runs (the offline model's clock-
// paced replies ended under a slow test once). It answers what the offline demo model would, Markdown and all.
import type { Page } from "@playwright/test";
import { startApp } from "../test/support/app-server";
import { test as base, ChatPage, expect, screenshotLooks, VIEWPORTS } from "../test/support/e2e";
import { type FakeOpenAI, replyLikeOfflineModel, startFakeOpenAI } from "../test/support/fake-openai";

const test = base.extend<{ model: FakeOpenAI }, { fake: FakeOpenAI }>({
  fake: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const fake = await startFakeOpenAI({
        reply: replyLikeOfflineModel,
      });
      await use(fake);
      await fake.close();
    },
    { scope: "worker" },
  ],
  app: [
    async ({ fake }, use) => {
      const app = await startApp({
        OPENAI_BASE_URL: fake.baseURL,
        AI_MODEL: "fake-model",
        RATE_LIMIT_CHAT_PER_MIN: "0",
        RATE_LIMIT_CHAT_PER_HOUR: "0",
        RATE_LIMIT_CHAT_IP_PER_MIN: "0",
      });
      await use(app);
      await app.stop();
    },
    { scope: "worker" },
  ],
  // Each test starts with replies flowing; one that paces them sets `held` itself.
  model: async ({ fake }, use) => {
    fake.set({ held: false });
    await use(fake);
    fake.set({ held: false });
  },
});

const scroller = (page: Page) => page.locator(".scroller");
const distanceToBottom = (page: Page) =>
  scroller(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

/** Lets `words` more words of the reply out and waits until the page shows them. */
async function grow(chat: ChatPage, model: FakeOpenAI, words = 10): Promise<void> {
  // Changed, not longer: a Markdown table takes form as its rows arrive, and its pipes leave the text.
  const before = await chat.lastReply.textContent();
  model.release(words);
  await expect.poll(() => chat.lastReply.textContent()).not.toBe(before);
}

test("while a reply streams, the caret sits at the end of its last line of text, and goes when it ends", async ({
  page,
  model,
}) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  model.set({ held: true });
  await chat.send("List the steps to deploy on Vercel, and compare options in a table please");

  const caret = chat.lastReply.locator(".caret");
  await expect(caret).toHaveCount(1);
  const parents = new Set<string>();
  // Word by word (a few at a time) until the caret has been seen in the list and in the table.
  while (!(parents.has("LI") && parents.has("TD"))) {
    await grow(chat, model, 4);
    const sample = await caret.evaluate((el) => {
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
    expect(["P", "LI", "TD", "TH", "STRONG", "EM", "CODE", "A"]).toContain(sample.parent);
    expect(sample.sameLine).toBe(true);
    parents.add(sample.parent);
  }
  model.set({ held: false });
  await chat.waitForReply();
  await expect(caret).toHaveCount(0);
});

test("the view follows the stream only at the bottom; scrolling up stops it and offers 'scroll to latest'", async ({
  page,
  model,
}, testInfo) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.sendAndWait("hello");
  model.set({ held: true });
  await chat.send("Show me what Markdown can do");
  // Held, the model lets out its first word only; the rest comes as the test releases it.
  await expect(chat.lastReply).toContainText("This");

  // At the bottom: the newest words stay in view as the reply grows, until it overflows the view by far.
  for (;;) {
    await grow(chat, model, 15);
    // The view follows in the frame after the words land: read it once that frame has run (a direct read
    // caught the 22 px between the two, once).
    await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
    if ((await scroller(page).evaluate((el) => el.scrollHeight - el.clientHeight)) > 500) break;
  }
  await expect(page.getByTestId("scroll-to-latest")).toHaveCount(0);

  // Scrolling up lets go: the reply keeps growing below, the view stays where the reader put it.
  await scroller(page).hover();
  await page.mouse.wheel(0, -400);
  await expect(page.getByTestId("scroll-to-latest")).toBeVisible();
  const readingAt = await scroller(page).evaluate((el) => el.scrollTop);
  await grow(chat, model, 20);
  await grow(chat, model, 20);
  expect(await scroller(page).evaluate((el) => el.scrollTop)).toBe(readingAt);
  expect(await distanceToBottom(page)).toBeGreaterThan(100);

  // The button brings the reader back and the view follows again; focus goes to the message box.
  await page.getByTestId("scroll-to-latest").click();
  await expect(page.getByTestId("scroll-to-latest")).toHaveCount(0);
  await expect(chat.composer).toBeFocused();
  await grow(chat, model, 20);
  await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
  model.set({ held: false });
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

test("a view resized under the reader (phone rotated, keyboard opening) and scrolled up in the same frame lets go", async ({
  page,
}) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.sendAndWait("Show me what Markdown can do");
  await expect.poll(() => distanceToBottom(page)).toBeLessThan(5);
  await expect(page.getByTestId("scroll-to-latest")).toHaveCount(0);

  // A reader's swipe that lands in the frame the view was resized in: a second ResizeObserver, made after the
  // app's, runs right after it in that frame and scrolls up. Its scroll event and the app's own move to the new
  // end reach the app as one, ending far below where the view was before the resize.
  await scroller(page).evaluate(
    (el) =>
      new Promise<void>((registered) => {
        const w = window as unknown as { swipe?: { before: number; after: number } };
        const before = el.scrollTop;
        let initial = true; // observe() reports the current size once: that is not the resize
        const observer = new ResizeObserver(() => {
          if (initial) {
            initial = false;
            registered();
            return;
          }
          observer.disconnect();
          el.scrollBy({ top: -300 });
          w.swipe = { before, after: el.scrollTop };
        });
        observer.observe(el);
      }),
  );
  await page.setViewportSize(VIEWPORTS.phone);
  const swipe = await page
    .waitForFunction(() => (window as unknown as { swipe?: { before: number; after: number } }).swipe)
    .then((handle) => handle.jsonValue() as Promise<{ before: number; after: number }>);
  const { before, after } = swipe;
  expect(after).toBeGreaterThan(before); // the case that matters: up from the new end, still below the old one

  await expect(page.getByTestId("scroll-to-latest")).toBeVisible();
  // Let go for good: the next frames leave the view where the reader put it.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await scroller(page).evaluate((el) => el.scrollTop)).toBe(after);
});
