// Message actions (issue 14): regenerate the last reply and edit-and-resend the last message replace the last
// turn on the server (one copy, also after a reload); both are messages, refused like a send with nothing lost.
import { expect, openChat, PER_MINUTE_NOTICE, screenshotLooks, test, VIEWPORTS } from "../test/support/e2e";

const WINDOW_SECONDS = 30;

test.use({
  appEnv: {
    RATE_LIMIT_CHAT_PER_MIN: "4",
    RATE_LIMIT_MINUTE_WINDOW_SECONDS: String(WINDOW_SECONDS),
    OFFLINE_MODEL_DELAY_MS: "2",
  },
});
test.describe.configure({ timeout: 120_000 });

test("regenerate and edit replace the last turn: one copy on screen, on the server and after a reload", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.81");
  const { page } = chat;
  await chat.sendAndWait("question one");
  await chat.sendAndWait("question two");
  // Only the last turn has the actions.
  await expect(page.getByTestId("regenerate")).toHaveCount(1);
  await expect(page.getByTestId("edit-message")).toHaveCount(1);
  const before = await chat.storedMessages();

  await chat.regenerate();
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["question one", "question two"]);
  await expect(chat.assistantMessages).toHaveCount(2);
  const regenerated = await chat.storedMessages();
  expect(regenerated.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
  expect(regenerated.slice(0, 3)).toEqual(before.slice(0, 3));
  expect(regenerated[3]?.id).not.toBe(before[3]?.id); // a new reply, with a new id
  expect(regenerated[3]?.text).toContain("question two");

  await chat.editLast("question two, edited");
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["question one", "question two, edited"]);
  await expect(chat.assistantMessages).toHaveCount(2);
  await expect(chat.lastReply).toContainText("question two, edited");
  await expect(chat.composer).toBeFocused();
  const edited = await chat.storedMessages();
  expect(edited).toHaveLength(4);
  expect(edited.filter((m) => m.role === "user").map((m) => m.text)).toEqual([
    "question one",
    "question two, edited",
  ]);

  await page.reload();
  await expect(chat.userMessages).toHaveText(["question one", "question two, edited"]);
  await expect(chat.assistantMessages).toHaveCount(2);
  await expect(chat.lastReply).toContainText("question two, edited");
});

test("regenerate past the limit shows the 429 bubble, keeps everything, and goes when ready", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.82");
  const { page } = chat;
  for (const text of ["one", "two", "three", "four"]) await chat.sendAndWait(text);
  const reply = (await chat.lastReply.textContent()) ?? "";
  const before = await chat.storedMessages();

  await chat.regenerate();
  await expect(chat.notice).toHaveText(PER_MINUTE_NOTICE);
  await expect(chat.paywall).toBeHidden();
  await expect(chat.held).toHaveText([/New answer to your last message/]);
  // Nothing lost: the reply it would have replaced is still there, and so is everything on the server.
  await expect(chat.userMessages).toHaveText(["one", "two", "three", "four"]);
  await expect(chat.assistantMessages).toHaveCount(4);
  await expect(chat.lastReply).toHaveText(reply);
  expect(await chat.storedMessages()).toEqual(before);
  // While something is held, the last turn can't be rewritten under it.
  await expect(page.getByTestId("regenerate")).toHaveCount(0);
  await expect(page.getByTestId("edit-message")).toHaveCount(0);

  await page.reload();
  await expect(chat.held).toHaveText([/New answer to your last message/]);
  await chat.sendWhenReady.click();
  await expect(chat.held).toHaveCount(0, { timeout: (WINDOW_SECONDS + 10) * 1000 });
  await chat.waitForReply();
  await expect(chat.assistantMessages).toHaveCount(4);
  // A send told to wait a last second goes again by itself (the button shows in between): read until stored.
  await expect
    .poll(async () => (await chat.storedMessages()).map((m) => m.id))
    .toEqual([...before.slice(0, 7).map((m) => m.id), expect.not.stringMatching(`^${before[7]?.id}$`)]);
});

test("an edit refused by the limit is held like a send, survives a reload and replaces the turn when sent", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.83");
  const { page } = chat;
  for (const text of ["one", "two", "three", "four"]) await chat.sendAndWait(text);

  await chat.editLast("four, said better");
  await expect(chat.notice).toHaveText(PER_MINUTE_NOTICE);
  await expect(chat.held).toHaveText([/^Edit of your last message\s*four, said better/]);
  await expect(chat.userMessages).toHaveText(["one", "two", "three", "four"]);
  await expect(chat.assistantMessages).toHaveCount(4);

  await page.reload();
  await expect(chat.heldTexts).toHaveText(["four, said better"]);
  await chat.sendWhenReady.click();
  await expect(chat.held).toHaveCount(0, { timeout: (WINDOW_SECONDS + 10) * 1000 });
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["one", "two", "three", "four, said better"]);
  await expect(chat.assistantMessages).toHaveCount(4);
  // A send told to wait a last second goes again by itself (the button shows in between): read until stored.
  await expect
    .poll(async () => (await chat.storedMessages()).map((m) => (m.role === "user" ? m.text : m.role)))
    .toEqual([
      "one",
      "assistant",
      "two",
      "assistant",
      "three",
      "assistant",
      "four, said better",
      "assistant",
    ]);
});

test("on a 375 px touch phone the actions are 44 px targets and editing fits the screen", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.84", {
    viewport: VIEWPORTS.phone,
    isMobile: true,
    hasTouch: true,
  });
  const { page } = chat;
  await chat.sendAndWait("a question from a phone");
  for (const control of [
    chat.lastReply.getByTestId("regenerate"),
    chat.lastReply.getByTestId("copy-message"),
    chat.userMessages.last().getByTestId("edit-message"),
  ]) {
    const box = await control.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(44);
    expect(box?.height).toBeGreaterThanOrEqual(44);
  }
  await chat.userMessages.last().getByTestId("edit-message").tap();
  const field = page.getByTestId("edit-input");
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("a question from a phone");
  await screenshotLooks(page, testInfo, "editing", undefined, ["phone"]);
  await page.setViewportSize(VIEWPORTS.phone);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  for (const id of ["edit-cancel", "edit-send"]) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(44);
  }
  // Escape (or Cancel) leaves the message as it was, focus back on Edit.
  await field.press("Escape");
  await expect(field).toHaveCount(0);
  await expect(page.getByTestId("edit-message")).toBeFocused();
  await expect(chat.userMessages).toHaveText(["a question from a phone"]);
});
