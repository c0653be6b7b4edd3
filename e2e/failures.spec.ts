// Failures other than limits: a model stream cut mid-reply (real upstream), network down, 5xx — never the paywall.

import { type AppServer, startApp } from "../test/support/app-server";
import { ChatPage, expect, test } from "../test/support/e2e";
import { type FakeOpenAI, startFakeOpenAI } from "../test/support/fake-openai";

test.describe("against a model that drops the connection mid-reply", () => {
  let fake: FakeOpenAI;
  let app: AppServer;

  test.beforeAll(async () => {
    fake = await startFakeOpenAI({
      reply: "Partial answer that will be cut off soon, sorry about that.",
      chunkDelayMs: 20,
    });
    app = await startApp({ OPENAI_BASE_URL: fake.baseURL, AI_MODEL: "fake-model" });
  });
  test.afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  test("the partial reply stays visible, marked incomplete, with a distinct error and Retry", async ({
    page,
  }) => {
    fake.set({ dropAfterChunks: 4 });
    await page.goto(app.url);
    const composer = page.getByTestId("composer-input");
    await composer.fill("tell me something long");
    await composer.press("Enter");

    const error = page.getByTestId("chat-error");
    await expect(error).toBeVisible({ timeout: 20_000 });
    await expect(error).toHaveAttribute("role", "alert");
    const reply = page.getByTestId("message-assistant").last();
    await expect(reply).toContainText("Partial answer");
    await expect(page.getByTestId("incomplete-marker")).toBeVisible();
    await expect(page.getByTestId("paywall")).toBeHidden();
    await expect(page.getByTestId("rate-limit-bubble")).toHaveCount(0);

    // The upstream recovers: Retry gets a whole answer.
    fake.set({ dropAfterChunks: undefined });
    await error.getByTestId("retry").click();
    await expect(page.getByTestId("chat-error")).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId("message-assistant").last()).toHaveText(
      "Partial answer that will be cut off soon, sorry about that.",
    );
  });
});

test("network down and a 503 show a retryable inline error, never the paywall, and keep the text", async ({
  page,
}) => {
  await page.goto("/");
  const composer = page.getByTestId("composer-input");
  await expect(composer).toBeVisible();

  await page.route("**/api/chat/message", (route) => route.abort("internetdisconnected"));
  await composer.fill("are you there?");
  await composer.press("Enter");
  const error = page.getByTestId("chat-error");
  await expect(error).toBeVisible();
  await expect(page.getByTestId("paywall")).toBeHidden();
  await expect(page.getByTestId("message-user")).toHaveText(["are you there?"]);

  await page.unroute("**/api/chat/message");
  await page.route("**/api/chat/message", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      headers: { "Retry-After": "5" },
      body: JSON.stringify({ error: "unavailable", message: "Chat is briefly unavailable." }),
    }),
  );
  await error.getByTestId("retry").click();
  await expect(page.getByTestId("chat-error")).toContainText("briefly unavailable");
  await expect(page.getByTestId("paywall")).toBeHidden();

  await page.unroute("**/api/chat/message");
  await page.getByTestId("chat-error").getByTestId("retry").click();
  await expect(page.getByTestId("chat-error")).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId("message-user")).toHaveText(["are you there?"]);
  await expect(page.getByTestId("message-assistant")).toHaveCount(1);
});

test("opening a conversation rides out a 503 and a dropped connection by itself; one that keeps failing says so, and Try again loads it", async ({
  page,
}) => {
  const chat = new ChatPage(page);
  await page.goto("/");
  await chat.sendAndWait("keep this one");
  const id = chat.conversationId();
  const conversation = `**/api/conversations/${id}`;
  const unavailable = {
    status: 503,
    contentType: "application/json",
    headers: { "Retry-After": "5" },
    body: JSON.stringify({ error: "unavailable", message: "Conversations are temporarily unavailable." }),
  };

  // A blip: one 503, then one dropped connection, then the store answers. Nobody presses anything.
  let attempts = 0;
  await page.route(conversation, (route) => {
    attempts += 1;
    if (attempts === 1) return route.fulfill(unavailable);
    if (attempts === 2) return route.abort("connectionreset");
    return route.continue();
  });
  await page.reload();
  await expect(chat.assistantMessages).toHaveCount(1);
  await expect(chat.userMessages).toHaveText(["keep this one"]);
  await expect(page.getByTestId("load-error")).toHaveCount(0);
  expect(attempts).toBe(3);

  // An outage: every try fails, so after its retries the page says so; Try again then loads it.
  await page.unroute(conversation);
  attempts = 0;
  await page.route(conversation, (route) => {
    attempts += 1;
    return route.fulfill(unavailable);
  });
  await page.reload();
  await expect(page.getByTestId("load-error")).toContainText("Couldn't load this conversation.", {
    timeout: 15_000,
  });
  expect(attempts).toBe(4); // the first try and three retries, never more
  await page.unroute(conversation);
  await page.getByTestId("load-error").getByRole("button", { name: "Try again" }).click();
  await expect(chat.userMessages).toHaveText(["keep this one"]);
  await expect(chat.assistantMessages).toHaveCount(1);
});
