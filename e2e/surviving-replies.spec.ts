// Replies that survive (issue 23): a reload (on the same or another instance sharing Redis), a closed tab or a
// dropped network never loses a reply; a second tab sees it stream; Stop in any tab stops it in all of them.
//
// The model is the fake OpenAI-compatible server, held by the test: a reply shows its first words and then waits
// until the test, having reloaded / closed / gone offline / pressed Stop, lets the rest out. So the disruption
// always lands mid-reply, however slow the machine (the offline model's clock-paced reply once ended before a
// reload under load). It answers what the offline demo model would, Markdown and all.
import type { BrowserContext } from "@playwright/test";
import { ChatPage, expect, openChat, screenshotLooks, test, withRedisBackedApps } from "../test/support/e2e";
import { type FakeOpenAI, replyLikeOfflineModel, startFakeOpenAI } from "../test/support/fake-openai";

/** Asks for the offline model's longest reply (every section, the table late in it). */
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

/**
 * Holds the model, sends the long ask and waits until its reply is streaming (words in view, Stop offered). It
 * stays there, its first word out, until the test lets the rest go (`model.set({ held: false })`).
 */
async function startLongReply(chat: ChatPage, model: FakeOpenAI): Promise<string> {
  model.set({ held: true });
  await chat.send(LONG_ASK);
  await expect(stopButton(chat)).toBeVisible();
  await expect(chat.lastReply).toContainText(/\w/);
  return chat.conversationId();
}

test.describe("replies that survive", () => {
  let model: FakeOpenAI;
  // Registered before the apps' beforeAll, which reads its URL.
  test.beforeAll(async () => {
    model = await startFakeOpenAI({
      reply: replyLikeOfflineModel,
    });
  });
  const shared = withRedisBackedApps(2, () => ({
    OPENAI_BASE_URL: model.baseURL,
    AI_MODEL: "fake-model",
    RATE_LIMIT_CHAT_PER_MIN: "100",
    RATE_LIMIT_CHAT_IP_PER_MIN: "100",
  }));
  // A test that fails while holding the model must not leave the next one's replies waiting.
  test.afterEach(() => model.set({ held: false }));
  test.afterAll(async () => {
    await model?.close();
  });
  const app = (i: number) => shared.apps[i]?.url as string;

  test("a reload mid-reply shows the same reply continue live and end whole, once", async ({
    browser,
  }, testInfo) => {
    const chat = await openChat(browser, app(0), "203.0.113.61", CLIPBOARD);
    const id = await startLongReply(chat, model);
    await chat.page.reload();
    // Picked up from the store: the turn is back and still streaming.
    await expect(chat.userMessages).toHaveCount(1);
    await expect(stopButton(chat)).toBeVisible();
    await expect(chat.lastReply).toContainText(/\w/);
    // Held mid-reply: what a reloaded tab looks like on a desktop and a phone, light and dark.
    await screenshotLooks(chat.page, testInfo, "resumed-mid-reply");
    model.set({ held: false });
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
    const id = await startLongReply(chat, model);
    // Same browser (the guest cookie is per host, not per port), another instance sharing the Redis.
    await chat.page.goto(`${app(1)}/?c=${id}`);
    await expect(chat.userMessages).toHaveCount(1);
    await expect(stopButton(chat)).toBeVisible();
    await expect(chat.lastReply).toContainText(/\w/);
    model.set({ held: false });
    await chat.waitForReply();
    await expect(chat.assistantMessages).toHaveCount(1);
    const [, reply] = await storedOnce(chat.page.context(), app(1), id, 2);
    expect(reply?.incomplete).toBe(false);
    expect(await shownReply(chat)).toBe(reply?.text);
    await chat.page.context().close();
  });

  test("a closed tab's reply is written to its end and stored whole", async ({ browser }) => {
    const chat = await openChat(browser, app(0), "203.0.113.63");
    const id = await startLongReply(chat, model);
    const context = chat.page.context();
    await chat.page.close();
    model.set({ held: false });
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

    model.set({ held: true });
    await first.send(LONG_ASK);
    // Without a reload, the other tab shows the message and the reply streaming in.
    await expect(second.userMessages).toHaveCount(2);
    await expect(second.userMessages.last()).toHaveText(LONG_ASK);
    await expect(second.assistantMessages).toHaveCount(2);
    await expect(second.lastReply).toContainText(/\w/);
    await expect(stopButton(second)).toBeVisible();

    // Stop while the model is held: the reply can end only by Stop, and Stop must reach the model.
    const abortedBefore = model.aborted();
    await stopButton(second).click();
    await expect.poll(() => model.aborted()).toBe(abortedBefore + 1);
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
    const id = await startLongReply(chat, model);
    const context = chat.page.context();
    await context.setOffline(true);
    await expect.poll(() => chat.page.evaluate(() => navigator.onLine)).toBe(false);
    model.set({ held: false });
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
