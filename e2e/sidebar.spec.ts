// The sidebar as a returning user finds it: conversations grouped by day in their local time, search by title,
// and rename (keyboard only, bad titles refused without losing the text) — on a laptop and a 375 px phone.
import type { Page } from "@playwright/test";
import { ChatPage, expect, screenshotLooks, settle, test, VIEWPORTS } from "../test/support/e2e";

test.use({
  appEnv: {
    OFFLINE_MODEL_DELAY_MS: "0",
    RATE_LIMIT_CHAT_PER_MIN: "0",
    RATE_LIMIT_CHAT_PER_HOUR: "0",
    RATE_LIMIT_CHAT_IP_PER_MIN: "0",
  },
  timezoneId: "America/New_York",
});

// Short enough for the offline title heuristic to keep whole.
const TITLES = ["Lisbon trip in May", "Redis rate limits explained", "Birthday gift ideas"];

/** Three conversations, each started from "New chat" (the offline model titles them after the prompt). */
async function threeConversations(page: Page): Promise<ChatPage> {
  const chat = new ChatPage(page);
  await page.goto("/");
  for (const title of TITLES) {
    await page.getByTestId("new-chat").click();
    await chat.sendAndWait(title);
  }
  await expect(chat.conversationItems).toHaveCount(3);
  for (const title of TITLES) await expect(chat.conversationItems.filter({ hasText: title })).toHaveCount(1);
  return chat;
}

const groups = (page: Page) => page.getByTestId("conversation-group").locator("h2").allTextContents();
const item = (chat: ChatPage, text: string) => chat.conversationItems.filter({ hasText: text });

test("conversations are grouped Today / Yesterday / Previous 7 days / Older in the user's local time", async ({
  page,
}, testInfo) => {
  await threeConversations(page);
  expect(await groups(page)).toEqual(["Today"]);
  await screenshotLooks(page, testInfo, "sidebar-today");

  // The same conversations seen from later days (the browser's clock moves; the stored times don't).
  const day = 24 * 3600 * 1000;
  for (const [later, label] of [
    [1, "Yesterday"],
    [3, "Previous 7 days"],
    [12, "Older"],
  ] as const) {
    await page.clock.setFixedTime(Date.now() + later * day);
    await page.reload();
    await expect(page.getByTestId("conversation-item")).toHaveCount(3);
    expect(await groups(page)).toEqual([label]);
  }
});

test("search by title, keyboard only; Escape clears it", async ({ page }, testInfo) => {
  const chat = await threeConversations(page);
  const search = page.getByTestId("conversation-search");
  await search.focus();
  await page.keyboard.type("REDIS");
  await expect(chat.conversationItems).toHaveCount(1);
  await expect(chat.conversationItems).toContainText("Redis rate limits");
  await page.keyboard.press("Tab"); // straight to the match
  await expect(item(chat, "Redis").getByTestId("conversation-link")).toBeFocused();

  await search.fill("may lisbon");
  await expect(chat.conversationItems).toHaveCount(1);
  await search.fill("nothing like this");
  await expect(page.getByTestId("no-search-results")).toHaveText(
    "No conversations match “nothing like this”.",
  );
  await screenshotLooks(page, testInfo, "sidebar-search-empty", undefined, ["desktop"]);
  await search.focus();
  await page.keyboard.press("Escape");
  await expect(search).toHaveValue("");
  await expect(chat.conversationItems).toHaveCount(3);
});

test("rename by keyboard: saved on the server, shown everywhere; bad titles are refused and nothing is lost", async ({
  page,
}, testInfo) => {
  const chat = await threeConversations(page);
  const lisbon = item(chat, "Lisbon");
  await lisbon.getByTestId("conversation-link").click();
  await expect(page.locator(".topbar-title")).toHaveText("Lisbon trip in May");

  // Tab from the link to its Rename button; Enter opens the field with the title selected.
  await lisbon.getByTestId("conversation-link").focus();
  await page.keyboard.press("Tab");
  await expect(lisbon.getByTestId("rename-conversation")).toBeFocused();
  await page.keyboard.press("Enter");
  const field = page.getByTestId("rename-input");
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("Lisbon trip in May");

  // Empty and too long are refused in place, with the reason, keeping what was typed.
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("rename-error")).toHaveText("A title needs at least one character.");
  await field.fill("x".repeat(101));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("rename-error")).toHaveText("At most 100 characters (this is 101).");
  await expect(field).toHaveValue("x".repeat(101));
  await screenshotLooks(page, testInfo, "sidebar-rename-error", undefined, ["desktop"]);

  // Escape cancels: the old title stays, focus is back on the link.
  await field.focus();
  await page.keyboard.press("Escape");
  await expect(field).toHaveCount(0);
  await expect(item(chat, "Lisbon").getByTestId("conversation-link")).toBeFocused();

  // A good title (with stray spacing and a bidi override, cleaned like the server does) is saved.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await field.fill("  Lisbon \u202Ein spring  ");
  await page.keyboard.press("Enter");
  await expect(field).toHaveCount(0);
  const renamed = item(chat, "Lisbon in spring");
  await expect(renamed.getByTestId("conversation-link")).toHaveText("Lisbon in spring");
  await expect(renamed.getByTestId("conversation-link")).toBeFocused();
  await expect(page.locator(".topbar-title")).toHaveText("Lisbon in spring");

  // The server has it: after a reload, and in the API.
  await page.reload();
  await expect(item(chat, "Lisbon in spring")).toHaveCount(1);
  const list = await (await page.request.get("/api/conversations")).json();
  expect(list.conversations.map((c: { title: string }) => c.title)).toContain("Lisbon in spring");
});

test("rename refused by the server (deleted elsewhere) says so, keeps the typed title, then updates the list", async ({
  page,
}) => {
  const chat = await threeConversations(page);
  const birthday = item(chat, "Birthday");
  const id = await birthday.getAttribute("data-conversation-id");
  await birthday.getByTestId("conversation-link").focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  // Meanwhile another tab deletes it.
  expect((await page.request.delete(`/api/conversations/${id}`)).status()).toBe(204);
  await page.getByTestId("rename-input").fill("Gifts");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("rename-error")).toHaveText(
    "This conversation no longer exists (deleted in another tab?).",
  );
  await expect(page.getByTestId("rename-input")).toHaveValue("Gifts");
  await expect(page.getByTestId("rename-input")).toBeFocused(); // the keyboard user is still in the field
  // Leaving the field brings the list up to date.
  await page.keyboard.press("Escape");
  await expect(chat.conversationItems).toHaveCount(2);
  await expect(item(chat, "Birthday")).toHaveCount(0);
});

test.describe("on a 375 px touch phone", () => {
  test.use({ viewport: VIEWPORTS.phone, hasTouch: true, isMobile: true });

  test("the menu holds search and rename, and both work by touch", async ({ page }, testInfo) => {
    const chat = await threeConversationsOnPhone(page);
    await openMenu(page);
    await screenshotLooks(page, testInfo, "sidebar-menu", openMenu, ["phone"]);
    await page.setViewportSize(VIEWPORTS.phone);
    await openMenu(page);
    await page.getByTestId("conversation-search").fill("gift");
    await expect(chat.conversationItems).toHaveCount(1);
    // Touch screens have no hover: the row's buttons are always shown.
    const row = chat.conversationItems.first();
    await expect(row.getByTestId("rename-conversation")).toHaveCSS("opacity", "1");
    await row.getByTestId("rename-conversation").tap();
    await page.getByTestId("rename-input").fill("");
    await page.getByTestId("rename-input").press("Enter");
    await expect(page.getByTestId("rename-error")).toBeVisible();
    await screenshotLooks(page, testInfo, "sidebar-rename-error", openMenu, ["phone"]);
    await page.setViewportSize(VIEWPORTS.phone);
    await openMenu(page);
    await page.getByTestId("rename-input").fill("Gifts for Sam");
    await page.getByTestId("rename-input").press("Enter");
    await expect(row.getByTestId("conversation-link")).toHaveText("Gifts for Sam");
    await page.getByTestId("conversation-search").fill("");
    await expect(chat.conversationItems).toHaveCount(3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBe(0);
  });
});

async function openMenu(page: Page): Promise<void> {
  if ((await page.locator("#sidebar[data-open]").count()) === 0) {
    await page.getByRole("button", { name: "Open conversations menu" }).click();
  }
  await expect(page.locator("#sidebar")).toHaveAttribute("data-open");
  await settle(page);
}

/** On a phone the sidebar is a menu: New chat is inside it. */
async function threeConversationsOnPhone(page: Page): Promise<ChatPage> {
  const chat = new ChatPage(page);
  await page.goto("/");
  for (const title of TITLES) {
    await openMenu(page);
    await page.getByTestId("new-chat").click();
    await chat.sendAndWait(title);
  }
  return chat;
}
