// Problem 7 of issue 13: a link to a conversation that doesn't exist, was deleted or is someone else's says so
// (with a way to start a new chat) instead of silently opening an empty one.

import { newId } from "../test/support/chat-body";
import { type ChatPage, expect, openChat, test } from "../test/support/e2e";

test.use({ appEnv: { OFFLINE_MODEL_DELAY_MS: "0" } });

const MISSING = "This conversation doesn't exist or was deleted";

async function expectMissing(chat: ChatPage) {
  const notice = chat.page.getByTestId("conversation-missing");
  await expect(notice).toBeVisible();
  await expect(notice.getByRole("heading")).toHaveText(MISSING);
  // Nothing can be typed into a conversation that isn't there.
  await expect(chat.composer).toBeDisabled();
  await expect(chat.suggestions).toHaveCount(0);
}

test("an unknown, a malformed, a deleted and someone else's conversation link each say so", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.91");
  const { page } = chat;

  // The failing sequence: open a link to a conversation that never existed.
  await page.goto(`${appUrl}/?c=${newId()}`);
  await expectMissing(chat);
  await page.getByRole("button", { name: "Start a new chat" }).click();
  await expect(page.getByTestId("conversation-missing")).toHaveCount(0);
  await expect(chat.suggestions).toHaveCount(4);
  expect(new URL(page.url()).searchParams.get("c")).toBeNull();
  await expect(chat.composer).toBeFocused();

  await page.goto(`${appUrl}/?c=not%20an%20id!`);
  await expectMissing(chat);

  // Deleted: it existed, then it was deleted (here through the API, as another tab would).
  await page.goto(appUrl);
  await chat.sendAndWait("soon gone");
  const id = chat.conversationId();
  const deleted = await page.request.delete(new URL(`/api/conversations/${id}`, appUrl).toString());
  expect(deleted.status()).toBe(204);
  await page.reload();
  await expectMissing(chat);

  // Someone else's: another browser (another guest session) opens this one's conversation.
  await page.goto(appUrl);
  await chat.sendAndWait("mine only");
  const mine = chat.conversationId();
  const stranger = await openChat(browser, appUrl, "198.51.100.92");
  await stranger.page.goto(`${appUrl}/?c=${mine}`);
  await expectMissing(stranger);
  await expect(stranger.page.getByText("mine only")).toHaveCount(0);
});
