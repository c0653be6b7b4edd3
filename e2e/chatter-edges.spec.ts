// Issue 24, the chatter's rough edges: a stale tab can't replace a turn it never saw, the operator's reason is
// shown, "too many replies at once" has its own words, the meter is named, the hourly bubble offers the plan
// that allows more and never sends unattended after a long wait, the tab names the conversation.
import { type AppServer, startApp } from "../test/support/app-server";
import { ChatPage, expect, openChat, screenshotLooks, test, VIEWPORTS } from "../test/support/e2e";
import { type FakeOpenAI, replyLikeOfflineModel, startFakeOpenAI } from "../test/support/fake-openai";

const ADMIN_TOKEN = "edges-admin-token-0123456789abcdefghijklmnop";

/** The whole file's server: tight limits, one reply at a time, sign-in and an operator. */
const EDGES_ENV: Record<string, string> = {
  RATE_LIMIT_CHAT_PER_MIN: "10",
  RATE_LIMIT_CHAT_PER_HOUR: "4",
  CHAT_MAX_CONCURRENT_STREAMS: "1",
  CHAT_DAILY_TOKEN_BUDGET: "100000",
  OFFLINE_MODEL_DELAY_MS: "15",
  AUTH_DEV_SIGNIN: "true",
  PAYWALL_URL: "https://billing.example/upgrade",
  ADMIN_TOKEN,
};

test.use({ appEnv: EDGES_ENV });
test.describe.configure({ timeout: 90_000 });

const userTexts = async (chat: ChatPage) =>
  (await chat.storedMessages()).filter((m) => m.role === "user").map((m) => m.text);

test("a stale tab's edit or regenerate is refused (409): the other tab's turn stays, the tab reloads and says why", async ({
  browser,
  appUrl,
}) => {
  const a = await openChat(browser, appUrl, "198.51.100.201");
  await a.sendAndWait("first from A");
  // A visible tab picks up another tab's reply by itself within a second (e2e/surviving-replies.spec.ts). A tab
  // goes stale when it missed it: hidden or offline while it was written, and back more than a minute later.
  // Here A's looks find nothing, which is what such a tab sees.
  await a.page.route(/\/api\/conversations\/[^/]+\/stream/, (route) =>
    route.request().method() === "GET" ? route.fulfill({ status: 204 }) : route.continue(),
  );
  const b = new ChatPage(await a.page.context().newPage());
  await b.page.goto(`${appUrl}/?c=${a.conversationId()}`);
  await expect(b.userMessages).toHaveText(["first from A"]);
  await b.sendAndWait("second from B");

  // Tab A never refreshed: its edit names the reply it saw last, which is no longer the last message.
  await a.editLast("first from A, edited");
  const error = a.page.getByTestId("chat-error");
  await expect(error).toContainText("This conversation has changed since this page loaded it");
  await expect(a.userMessages).toHaveText(["first from A", "second from B"]);
  await expect(a.assistantMessages).toHaveCount(2);
  await expect(a.composer).toHaveValue("first from A, edited"); // nothing typed is lost
  expect(await userTexts(a)).toEqual(["first from A", "second from B"]);

  // The same for a new answer: B sends again, A (stale again) asks to regenerate what it shows last.
  await b.sendAndWait("third from B");
  const stored = await a.storedMessages();
  await a.page.getByTestId("chat-error").getByRole("button", { name: "Dismiss" }).click();
  await a.regenerate();
  await expect(error).toContainText("This conversation has changed since this page loaded it");
  await expect(a.userMessages).toHaveText(["first from A", "second from B", "third from B"]);
  expect(await a.storedMessages()).toEqual(stored);
});

test("a blocked person sees the operator's reason, as text (never markup)", async ({ browser, appUrl }) => {
  const ip = "198.51.100.202";
  const reason = "<b>Scripted</b> bursts <img src=x onerror=alert(1)> & co — write to ops@example.com";
  const block = await fetch(`${appUrl}/api/admin/blocks`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ key: `ip:${ip}`, seconds: 600, reason }),
  });
  expect(block.status).toBe(200);
  const chat = await openChat(browser, appUrl, ip);
  await chat.send("hello, anyone?");
  const notice = chat.page.getByTestId("blocked-notice");
  await expect(chat.page.getByTestId("blocked-reason")).toHaveText(`The operator's reason: ${reason}`);
  await expect(notice.locator("b, img")).toHaveCount(0);
  await expect(chat.composer).toHaveValue("hello, anyone?");
});

test.describe("with a model the test holds mid-reply", () => {
  let model: FakeOpenAI;
  let app: AppServer;
  test.beforeAll(async () => {
    model = await startFakeOpenAI({ reply: replyLikeOfflineModel });
    app = await startApp({ ...EDGES_ENV, OPENAI_BASE_URL: model.baseURL, AI_MODEL: "fake-model" });
  });
  test.afterAll(async () => {
    await app?.stop();
    await model?.close();
  });

  test("'too many replies at once' is said in its own words, and 'you can send again' never while untrue", async ({
    browser,
  }) => {
    const a = await openChat(browser, app.url, "198.51.100.203");
    const b = new ChatPage(await a.page.context().newPage());
    await b.page.goto(app.url);
    await expect(b.composer).toBeEditable();
    // A's reply holds the one slot until the test lets it end: however slow the machine, B meets it busy.
    model.set({ held: true });
    await a.send("show me the demo with everything");
    await expect(a.page.getByTestId("stop-button")).toBeVisible();
    await b.send("are you free?");
    const words = "Wait for a reply to finish — you can have a reply in progress at once";
    await expect(b.notice).toContainText(words);
    await expect(b.held).toHaveCount(1);
    await expect(b.announcer).toHaveText(
      `${words}. Your message is held, not sent. Try again once a reply has finished.`,
    );
    // The countdown only says when a slot could free at the soonest: when it ends, the words stay and the live
    // region says the message is still held — not that sending is possible.
    await expect(b.countdown).toHaveCount(0, { timeout: 20_000 });
    await expect(b.notice).toHaveText(`${words}. 1 message not sent yet.`);
    await expect(b.announcer).toHaveText(
      "1 message is still held. Once a reply has finished, use Send now to try again.",
    );
    model.set({ held: false });
    await a.waitForReply();
    await b.sendNow.click();
    await expect(b.userMessages).toHaveText(["are you free?"]);
    await b.waitForReply();
  });
});

test("the meter is named in words and for screen readers; the account panel shows what is used of each limit; the tab names the conversation", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.204");
  const { page } = chat;
  await expect(page).toHaveTitle("Chat");
  await chat.sendAndWait("what is a token bucket?");
  const meter = page.getByRole("meter", { name: "Credits today" });
  await expect(meter).toHaveAttribute("aria-valuetext", /^\d+% used: [\d,]+ of 100,000 tokens used today/);
  await expect(page.getByTestId("usage-label")).toHaveText(/^Credits today: \d+% used$/);
  await expect(page.getByTestId("used-min")).toHaveText("1 of 10");
  await expect(page.getByTestId("used-hour")).toHaveText("1 of 4");
  await expect(page.getByTestId("used-credits")).toHaveText(/^[\d,]+ of 100,000 tokens$/);

  // The browser tab: the conversation's title.
  const title = page.locator(".topbar-title");
  await expect(title).not.toHaveText("New chat");
  await expect(page).toHaveTitle(`${await title.textContent()} — Chat`);

  // On a phone: still words ("Credits 1%"), and the title keeps its room beside the model badge.
  await page.setViewportSize(VIEWPORTS.phone);
  // biome-ignore lint/performance/useDomNodeTextContent: what is rendered is the point (CSS hides words on phones).
  await expect.poll(() => page.getByTestId("usage-label").innerText()).toMatch(/^Credits \d+%$/);
  await expect(page.getByTestId("model-label")).toHaveText(/Demo/);
  const width = (await title.boundingBox())?.width ?? 0;
  expect(width).toBeGreaterThanOrEqual(120);
});

test("the account panel says what a message in the open chat costs: more as its history grows, least in a new chat", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.209");
  const { page } = chat;
  const cost = page.getByTestId("message-cost");
  const tokens = async () => Number(((await cost.textContent()) ?? "").replace(/\D/g, ""));
  await expect(cost).toHaveText(/^reserves ~[\d,]+ tokens$/);
  const newChat = await tokens();
  // The reply's cap (4,096 by default) plus the system prompt's estimate.
  expect(newChat).toBeGreaterThan(4096);

  let previous = newChat;
  for (const text of ["what is a sliding window?", "and a token bucket?", "which one is fairer?"]) {
    await chat.sendAndWait(text);
    await expect.poll(tokens).toBeGreaterThan(previous);
    previous = await tokens();
  }
  // The panel's figure is the server's: GET /api/limits for this conversation says the same.
  const limits = await page.evaluate(
    async (id) => (await fetch(`/api/limits?conversation=${id}`)).json(),
    chat.conversationId(),
  );
  expect(limits.message_cost_tokens).toBe(previous);
  await expect(page.locator(".plan-limit", { has: cost }).locator("dt")).toHaveText("A message here");

  await screenshotLooks(page, testInfo, "message-cost", async (p) => {
    if (p.viewportSize()?.width === VIEWPORTS.phone.width) {
      if ((await p.locator("#sidebar").getAttribute("data-open")) === null)
        await p.getByRole("button", { name: "Open conversations menu" }).click();
      await cost.scrollIntoViewIfNeeded();
    }
  });
  await page.keyboard.press("Escape");

  // A new chat sends no history: back to the least a message costs.
  await page.locator("#sidebar [data-testid='new-chat']").click();
  await expect.poll(tokens).toBe(newChat);
});

test("the hourly bubble offers the plan that allows more, and a long wait never sends by itself", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.205");
  const { page } = chat;
  for (const text of ["h one", "h two", "h three", "h four"]) await chat.sendAndWait(text);
  await chat.send("h five");
  await expect(chat.notice).toContainText("You've reached the hourly limit of 4 messages");
  await expect(page.getByTestId("limit-upgrade")).toContainText("The Pro plan allows 16 messages an hour.");
  // Held, and told it won't go while the person is away: no "Send when ready" for a wait of many minutes.
  await expect(chat.held).toHaveCount(1);
  await expect(chat.sendWhenReady).toHaveCount(0);
  await expect(chat.autoSendPlan).toContainText(
    "won't go while you're away: when the wait is over, use Send now",
  );

  // A guest signs in first; a signed-in free user gets the Upgrade link with their id.
  await page.getByTestId("limit-upgrade-signin").click();
  await expect(page.getByTestId("signin-name")).toBeFocused();
  await page.keyboard.type("Hour Person");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("current-user")).toHaveText("Hour Person");
  const fresh = new ChatPage(page);
  await page.getByTestId("new-chat").first().click();
  for (const text of ["u one", "u two", "u three", "u four"]) await fresh.sendAndWait(text);
  await fresh.send("u five");
  const { user } = (await (await page.request.get(`${appUrl}/api/session`)).json()) as {
    user: { id: string };
  };
  await expect(page.getByTestId("limit-upgrade-link")).toHaveAttribute(
    "href",
    `https://billing.example/upgrade?client_reference_id=${user.id}`,
  );
});
