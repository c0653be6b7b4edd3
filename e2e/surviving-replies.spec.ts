// Replies that survive (issue 23): a reload (on the same or another instance sharing Redis), a closed tab or a
// dropped network never loses a reply; a second tab sees it stream; Stop in any tab stops it in all of them.
import type { BrowserContext } from "@playwright/test";
import { ChatPage, expect, openChat, test, withRedisBackedApps } from "../test/support/e2e";

/** The offline model's longest reply (every section), slowed so that it streams for several seconds. */
const LONG_ASK = "Show me everything in a demo, please";
const CLIPBOARD = { permissions: ["clipboard-read", "clipboard-write"] };

type Stored = { id: string; role: string; text: string; incomplete: boolean };

/** The conversation as the server stores it, read with the context's own cookies (so as its owner). */
async function stored(context: BrowserContext, appUrl: string, id: string): Promise<Stored[]> {
  const response = await context.request.get(`${appUrl}/api/conversations/${id}`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as {
    messages: {
      id: string;
      role: string;
      parts: { type: string; text?: string }[];
      metadata?: { incomplete?: boolean };
    }[];
  };
  return body.messages.map((m) => ({
    id: m.id,
    role: m.role,
    // The text parts joined as the app's Copy button joins them (lib/wire/messages.ts).
    text: m.parts.flatMap((p) => (p.type === "text" ? [p.text ?? ""] : [])).join("\n\n"),
    incomplete: m.metadata?.incomplete === true,
  }));
}

/** Waits until the conversation holds `count` messages (a reply is stored once it ends) and answers them. */
async function storedOnce(context: BrowserContext, appUrl: string, id: string, count: number) {
  await expect.poll(async () => (await stored(context, appUrl, id)).length, { timeout: 30_000 }).toBe(count);
  return stored(context, appUrl, id);
}

/** The last reply's text as the page holds it: its Copy button copies exactly its Markdown. */
async function shownReply(chat: ChatPage): Promise<string> {
  await chat.lastReply.getByTestId("copy-message").click();
  return chat.clipboard();
}

const stopButton = (chat: ChatPage) => chat.page.getByTestId("stop-button");

/** Sends the long ask and waits until its reply is streaming (words in view, Stop offered). */
async function startLongReply(chat: ChatPage): Promise<string> {
  await chat.send(LONG_ASK);
  await expect(stopButton(chat)).toBeVisible();
  await expect(chat.lastReply).toContainText(/\w/);
  return chat.conversationId();
}

test.describe("replies that survive", () => {
  const shared = withRedisBackedApps(2, {
    OFFLINE_MODEL_DELAY_MS: "50",
    RATE_LIMIT_CHAT_PER_MIN: "100",
    RATE_LIMIT_CHAT_IP_PER_MIN: "100",
  });
  const app = (i: number) => shared.apps[i]?.url as string;

  test("a reload mid-reply shows the same reply continue live and end whole, once", async ({ browser }) => {
    const chat = await openChat(browser, app(0), "203.0.113.61", CLIPBOARD);
    const id = await startLongReply(chat);
    await chat.page.reload();
    // Picked up from the store: the turn is back and still streaming.
    await expect(chat.userMessages).toHaveCount(1);
    await expect(stopButton(chat)).toBeVisible();
    await chat.waitForReply();
    await expect(chat.assistantMessages).toHaveCount(1);
    await expect(chat.page.getByTestId("incomplete-marker")).toHaveCount(0);
    const [, reply] = await storedOnce(chat.page.context(), app(0), id, 2);
    expect(reply?.incomplete).toBe(false);
    expect(await shownReply(chat)).toBe(reply?.text);
    await chat.page.context().close();
  });

  test("a reload that lands on a second instance resumes the reply the first one writes", async ({
    browser,
  }) => {
    const chat = await openChat(browser, app(0), "203.0.113.62", CLIPBOARD);
    const id = await startLongReply(chat);
    // Same browser (the guest cookie is per host, not per port), another instance sharing the Redis.
    await chat.page.goto(`${app(1)}/?c=${id}`);
    await expect(chat.userMessages).toHaveCount(1);
    await expect(stopButton(chat)).toBeVisible();
    await chat.waitForReply();
    await expect(chat.assistantMessages).toHaveCount(1);
    const [, reply] = await storedOnce(chat.page.context(), app(1), id, 2);
    expect(reply?.incomplete).toBe(false);
    expect(await shownReply(chat)).toBe(reply?.text);
    await chat.page.context().close();
  });

  test("a closed tab's reply is written to its end and stored whole", async ({ browser }) => {
    const chat = await openChat(browser, app(0), "203.0.113.63");
    const id = await startLongReply(chat);
    const context = chat.page.context();
    await chat.page.close();
    const [user, reply] = await storedOnce(context, app(0), id, 2);
    expect(user?.text).toBe(LONG_ASK);
    // Not cut off: the model reported its end (a reply stopped early is stored marked incomplete).
    expect(reply?.incomplete).toBe(false);
    expect(reply?.text).toContain("|"); // the table, which comes late in the reply
    await context.close();
  });

  test("a second tab sees the new message and its reply stream; Stop there stops it in both", async ({
    browser,
  }) => {
    const first = await openChat(browser, app(0), "203.0.113.64", CLIPBOARD);
    await first.sendAndWait("hello there");
    const id = first.conversationId();
    const second = new ChatPage(await first.page.context().newPage());
    await second.page.goto(`${app(0)}/?c=${id}`);
    await expect(second.assistantMessages).toHaveCount(1);

    await first.send(LONG_ASK);
    // Without a reload, the other tab shows the message and the reply streaming in.
    await expect(second.userMessages).toHaveCount(2);
    await expect(second.userMessages.last()).toHaveText(LONG_ASK);
    await expect(second.assistantMessages).toHaveCount(2);
    await expect(second.lastReply).toContainText(/\w/);
    await expect(stopButton(second)).toBeVisible();

    await stopButton(second).click();
    for (const tab of [first, second]) {
      await expect(tab.lastReply.getByTestId("incomplete-marker")).toBeVisible();
      await expect(tab.page.getByTestId("send-button")).toBeVisible();
      await expect(tab.page.getByTestId("chat-error")).toHaveCount(0);
    }
    const reply = (await storedOnce(first.page.context(), app(0), id, 4))[3];
    expect(reply?.incomplete).toBe(true);
    // Every tab ends where the stored reply does.
    expect(await shownReply(first)).toBe(reply?.text);
    expect(await shownReply(second)).toBe(reply?.text);
    await first.page.context().close();
  });

  test("offline mid-reply, then online: the reply the server finished meanwhile is shown whole", async ({
    browser,
  }) => {
    const chat = await openChat(browser, app(0), "203.0.113.65", CLIPBOARD);
    const id = await startLongReply(chat);
    const context = chat.page.context();
    await context.setOffline(true);
    await expect.poll(() => chat.page.evaluate(() => navigator.onLine)).toBe(false);
    // The reply goes on without the tab: wait for it to be stored (read from outside the offline page).
    const [, reply] = await storedOnce(context, app(0), id, 2);
    await context.setOffline(false);
    await chat.waitForReply();
    await expect(chat.assistantMessages).toHaveCount(1);
    await expect(chat.page.getByTestId("chat-error")).toHaveCount(0);
    await expect(chat.page.getByTestId("incomplete-marker")).toHaveCount(0);
    expect(reply?.incomplete).toBe(false);
    await expect.poll(() => shownReply(chat)).toBe(reply?.text);
    await context.close();
  });
});
