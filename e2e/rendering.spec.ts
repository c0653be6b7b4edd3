// Replies as a reader sees them: highlighted code blocks with a label and a working copy button that scroll
// sideways inside themselves, styled tables and quotes, and copy-as-Markdown.
import type { Locator, Page } from "@playwright/test";
import { ChatPage, expect, screenshotLooks, test, VIEWPORTS } from "../test/support/e2e";

test.use({
  appEnv: {
    OFFLINE_MODEL_DELAY_MS: "2",
    RATE_LIMIT_CHAT_PER_MIN: "0",
    RATE_LIMIT_CHAT_PER_HOUR: "0",
    RATE_LIMIT_CHAT_IP_PER_MIN: "0",
  },
  permissions: ["clipboard-read", "clipboard-write"],
});

/** The page scrolls sideways nowhere: not the document, not the transcript. */
async function expectNoPageOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const scroller = document.querySelector(".scroller");
    return {
      document: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      transcript: scroller ? scroller.scrollWidth - scroller.clientWidth : 0,
    };
  });
  expect(overflow).toEqual({ document: 0, transcript: 0 });
}

const scrollsSideways = (el: Locator) => el.evaluate((node) => node.scrollWidth > node.clientWidth + 1);

test("a code block from the offline model: highlighted, labelled, copies exactly, scrolls inside itself", async ({
  page,
}, testInfo) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.sendAndWait("Write a TypeScript function that rate-limits calls per user");

  const block = chat.lastReply.getByTestId("code-block");
  await expect(block).toHaveCount(1);
  await expect(block.getByTestId("code-language")).toHaveText("TypeScript");
  // Highlighting arrives in its own chunk: tokens coloured for both schemes.
  await expect(block.locator("pre[data-highlighted]")).toBeVisible();
  expect(await block.locator('code span[style*="light-dark("]').count()).toBeGreaterThan(20);
  const keyword = block.locator("code span", { hasText: /^export$/ }).first();
  const light = await keyword.evaluate((el) => getComputedStyle(el).color);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => keyword.evaluate((el) => getComputedStyle(el).color)).not.toBe(light);
  await page.emulateMedia({ colorScheme: "light" });

  // The copy button puts exactly the code (no fence, no trailing newline) on the clipboard.
  const stored = (await chat.storedMessages()).at(-1)?.text ?? "";
  const fenced = /```typescript\n([\s\S]*?)\n```/.exec(stored)?.[1];
  expect(fenced).toContain("createLimiter");
  await block.getByTestId("copy-code").click();
  await expect(block.getByTestId("copy-code")).toHaveText("Copied");
  expect(await chat.clipboard()).toBe(fenced);

  // The long line scrolls inside the block, at desktop and phone width; the page never does.
  const pre = block.locator("pre");
  for (const size of Object.values(VIEWPORTS)) {
    await page.setViewportSize(size);
    expect(await scrollsSideways(pre)).toBe(true);
    await expectNoPageOverflow(page);
  }
  // Keyboard: the block takes focus and the arrow keys scroll it.
  await pre.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => pre.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await page.setViewportSize(VIEWPORTS.desktop);

  await screenshotLooks(page, testInfo, "code-block", async (p) => {
    await p.getByTestId("code-block").last().scrollIntoViewIfNeeded();
  });
});

test("tables, numbered lists and quotes are styled, and a wide table scrolls inside its own box", async ({
  page,
}, testInfo) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.sendAndWait("Show me what Markdown can do");
  const reply = chat.lastReply;
  await expect(reply.locator("ol > li")).toHaveCount(4);
  await expect(reply.getByTestId("code-block")).toHaveCount(1);
  await expect(reply.locator("table thead th")).toHaveCount(4);
  await expect(reply.locator("table tbody tr")).toHaveCount(3);
  await expect(reply.locator("blockquote")).toContainText("not yet");

  // Header cells are set off from the body; quotes have their accent bar — in both schemes.
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const styles = await reply.evaluate((el) => {
      const th = el.querySelector("thead th");
      const td = el.querySelector("tbody td");
      const quote = el.querySelector("blockquote");
      const page = getComputedStyle(document.body).backgroundColor;
      return {
        headerDiffers:
          th && td && getComputedStyle(th).backgroundColor !== getComputedStyle(td).backgroundColor,
        quoteBar: quote ? getComputedStyle(quote).borderLeftWidth : "",
        quoteBackground: quote ? getComputedStyle(quote).backgroundColor !== page : false,
      };
    });
    expect(styles).toEqual({ headerDiffers: true, quoteBar: "3px", quoteBackground: true });
  }
  await page.emulateMedia({ colorScheme: "light" });

  await page.setViewportSize(VIEWPORTS.phone);
  expect(await scrollsSideways(reply.locator(".table-wrap"))).toBe(true);
  await expectNoPageOverflow(page);
  await page.setViewportSize(VIEWPORTS.desktop);

  await screenshotLooks(page, testInfo, "table-quote", async (p) => {
    await p.getByTestId("message-assistant").last().locator("table").scrollIntoViewIfNeeded();
  });
});

test("copy puts exactly the stored Markdown of a reply or a message on the clipboard, by keyboard too", async ({
  page,
}, testInfo) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  const typed = "Compare **fixed** and `sliding` windows in a table\n\n- keep my *formatting*";
  await chat.composer.fill(typed);
  await chat.composer.press("Enter");
  await chat.waitForReply();
  const [user, assistant] = await chat.storedMessages();
  expect(user?.text).toBe(typed);
  expect(assistant?.text).toContain("| Algorithm |");

  await chat.lastReply.getByTestId("copy-message").click();
  expect(await chat.clipboard()).toBe(assistant?.text);

  // The user's copy button appears on keyboard focus and works with Enter.
  const userCopy = chat.userMessages.last().getByTestId("copy-message");
  await userCopy.focus();
  await expect(userCopy).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(userCopy).toHaveAttribute("data-state", "copied");
  expect(await chat.clipboard()).toBe(user?.text);

  // After a reload the same buttons copy the same stored text.
  await page.reload();
  await expect(chat.lastReply).toContainText("Algorithm");
  await chat.lastReply.getByTestId("copy-message").click();
  expect(await chat.clipboard()).toBe(assistant?.text);

  await screenshotLooks(page, testInfo, "copy-actions", async (p) => {
    await p.getByTestId("message-user").last().hover();
  });
});
