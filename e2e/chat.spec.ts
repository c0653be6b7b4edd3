// A new visitor chats in a real browser: send, watch the reply stream, reload, reopen from the sidebar, delete.
import { ChatPage, expect, postChat, test } from "../test/support/e2e";

// Slow enough that the streaming is visible, fast enough to keep the suite quick.
test.use({ appEnv: { OFFLINE_MODEL_DELAY_MS: "40" } });

test("a new user sends a message, sees it stream, finds it after reload, opens and deletes it", async ({
  page,
}) => {
  await page.goto("/");
  // The badge's full label; on a phone it shows "Demo" instead (e2e/chatter-edges.spec.ts).
  await expect(page.getByTestId("model-label")).toContainText("Offline demo model");
  await expect(page.getByTestId("current-user")).toHaveText("Guest");
  const composer = page.getByTestId("composer-input");
  const growth = await new ChatPage(page).recordReplyGrowth();
  await composer.fill("What does a token bucket do?");
  await composer.press("Enter");

  await expect(page.getByTestId("message-user")).toHaveText("What does a token bucket do?");
  const reply = page.getByTestId("message-assistant").last();
  await expect(page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });
  await expect(reply).toContainText("What does a token bucket do?");
  // While it streamed: Stop was offered, and the reply was shown growing word by word (many renders).
  const { lengths, stopOffered } = await growth();
  expect(stopOffered).toBe(true);
  expect(lengths.length).toBeGreaterThan(5);
  expect(lengths.at(-1)).toBeGreaterThan(lengths[0] ?? 0);
  const finalReply = (await reply.textContent()) ?? "";
  await expect(page.getByTestId("incomplete-marker")).toHaveCount(0);

  // Shift+Enter makes a newline instead of sending.
  await composer.fill("line one");
  await composer.press("Shift+Enter");
  await composer.pressSequentially("line two");
  await expect(composer).toHaveValue("line one\nline two");
  await expect(page.getByTestId("message-user")).toHaveCount(1);
  await composer.fill("");

  await page.reload();
  const items = page.getByTestId("conversation-item");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("What does a token bucket do");
  await page.getByTestId("new-chat").click();
  await expect(page.getByTestId("message-user")).toHaveCount(0);
  await items.first().getByRole("link").click();
  await expect(page.getByTestId("message-user")).toHaveText("What does a token bucket do?");
  await expect(page.getByTestId("message-assistant").last()).toHaveText(finalReply);

  await items.first().getByTestId("delete-conversation").click();
  await page.getByTestId("confirm-delete").click();
  await expect(items).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("composer-input")).toBeVisible();
  await expect(page.getByTestId("conversation-item")).toHaveCount(0);
});

test("markdown is rendered and raw HTML is not", async ({ page }) => {
  await page.goto("/");
  const composer = page.getByTestId("composer-input");
  await composer.fill('<img src=x onerror="window.__pwned=1"> **hello**');
  await composer.press("Enter");
  await expect(page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });
  const reply = page.getByTestId("message-assistant").last();
  await expect(reply.locator("li").first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator("img[src=x]")).toHaveCount(0);
});

test("the reply's event stream is never gzipped, even for a client that accepts gzip", async ({ appUrl }) => {
  const res = await postChat(appUrl, "198.51.100.1", { headers: { "accept-encoding": "gzip, deflate, br" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  expect(res.headers.get("content-encoding")).toBeNull();
  expect(await res.text()).toContain('"type":"finish"');
  // The compression itself still works for other responses (so the assertion above is not vacuous).
  const page = await fetch(appUrl, { headers: { "accept-encoding": "gzip" } });
  expect(page.headers.get("content-encoding")).toBe("gzip");
});
