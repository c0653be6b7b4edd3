// The model picker (issue 22) in a real browser: a model per conversation, remembered; models outside the plan
// shown locked with the way to them; a model's own limit and its app-wide capacity held like any refusal.
import { expect, openChat, screenshotLooks, test, VIEWPORTS } from "../test/support/e2e";

const CHAT_MODELS = {
  fast: { label: "Fast", model: "fast-1" },
  smart: { label: "Smart", model: "smart-2", plans: ["pro"] },
  deep: { label: "Deep", model: "deep-9" },
  strict: { label: "Strict", model: "strict-1", perMinute: 1 },
  scarce: { label: "Scarce", model: "scarce-1", capacity: { requestsPerMinute: 1 } },
};

test.use({
  appEnv: {
    CHAT_MODELS: JSON.stringify(CHAT_MODELS),
    // The person's own limits stay far away: only the models' layers refuse here.
    RATE_LIMIT_CHAT_PER_MIN: "30",
    OFFLINE_MODEL_DELAY_MS: "5",
    PAYWALL_URL: "https://billing.example/upgrade",
    AUTH_DEV_SIGNIN: "true",
    CHAT_DAILY_TOKEN_BUDGET: "1000000",
  },
});

/** What the offline demo model says about who answered. */
const answeredBy = (label: string, id: string) => `answering as ${label} (${id})`;

test("a model picked for a conversation answers, survives a reload, and a new chat starts with it", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.101");
  await expect(chat.modelPicker).toHaveText("Model: Fast"); // the plan's default ("Model:" for screen readers)
  await chat.chooseModel("deep");
  await expect(chat.modelPicker).toHaveText("Model: Deep");
  await expect(chat.modelPicker).toBeFocused();
  await chat.sendAndWait("who is answering?");
  await expect(chat.lastReply).toContainText(answeredBy("Deep", "deep-9"));

  await chat.page.reload();
  await expect(chat.userMessages).toHaveText(["who is answering?"]);
  await expect(chat.modelPicker).toHaveText("Model: Deep");
  await chat.sendAndWait("and now?");
  await expect(chat.lastReply).toContainText(answeredBy("Deep", "deep-9"));

  // Another conversation keeps its own choice; a new chat starts with the one used last.
  await chat.page.getByTestId("new-chat").click();
  await expect(chat.userMessages).toHaveCount(0);
  await expect(chat.modelPicker).toHaveText("Model: Deep");
  await chat.chooseModel("fast");
  await chat.sendAndWait("fast one");
  await expect(chat.lastReply).toContainText(answeredBy("Fast", "fast-1"));
  await chat.page.getByTestId("conversation-item").filter({ hasText: "who is answering" }).click();
  await expect(chat.userMessages).toHaveText(["who is answering?", "and now?"]);
  await expect(chat.modelPicker).toHaveText("Model: Deep");
});

test("a pro-only model is locked: 'Sign in to upgrade' for a guest, 'Upgrade' once signed in on free", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.102");
  await chat.modelPicker.click();
  const smart = chat.modelOption("smart");
  await expect(smart).toHaveAttribute("aria-disabled", "true");
  await expect(smart).toContainText("Needs Pro");
  await expect(chat.modelOption("fast")).toHaveAttribute("aria-checked", "true");
  // Choosing it does nothing: the menu stays, the choice too.
  await smart.click({ force: true }); // aria-disabled: Playwright would wait for it to be enabled
  await expect(chat.modelMenu).toBeVisible();
  await expect(chat.modelOption("fast")).toHaveAttribute("aria-checked", "true");
  await expect(chat.modelUnlock).toContainText("Sign in to upgrade");
  await expect(chat.modelUnlock).toContainText("Pro unlocks Smart");
  await chat.modelUnlock.click();
  await expect(chat.modelMenu).toBeHidden();
  await expect(chat.page.getByTestId("signin-name")).toBeFocused();

  // Signed in on the free plan: still locked, and the way there is now the paywall's Upgrade (the checkout).
  await chat.page.keyboard.type("Model Shopper");
  await chat.page.keyboard.press("Enter");
  await expect(chat.page.getByTestId("current-plan")).toHaveText("Free plan");
  const { user } = (await (await chat.page.request.get("/api/session")).json()) as { user: { id: string } };
  await chat.modelPicker.click();
  await expect(chat.modelOption("smart")).toHaveAttribute("aria-disabled", "true");
  await expect(chat.modelUnlock).toContainText("Upgrade");
  await expect(chat.modelUnlock).not.toContainText("Sign in");
  await expect(chat.modelUnlock).toHaveAttribute(
    "href",
    `https://billing.example/upgrade?client_reference_id=${user.id}`,
  );
});

test("a model outside the plan (the plan changed since the list was read) is a clear notice; the text stays", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.103");
  const { page } = chat;
  // The list as it was before the plan changed: Smart still usable. The server knows better.
  await page.route("**/api/models", async (route) => {
    const response = await route.fetch();
    const list = (await response.json()) as { models: { key: string; available: boolean }[] };
    for (const model of list.models) model.available = true;
    await route.fulfill({ response, json: list });
  });
  await page.reload();
  await chat.chooseModel("smart");
  await page.unroute("**/api/models");
  await chat.send("please keep this");
  await expect(chat.chatError).toContainText(
    "Smart isn't part of your plan (it comes with Pro), so nothing was sent. Your message is back in the box",
  );
  await expect(chat.composer).toHaveValue("please keep this");
  await expect(chat.userMessages).toHaveCount(0);
  await expect(chat.paywall).toBeHidden();
  await expect(chat.bubble).toHaveCount(0);
  // The picker has read the list again: Smart is locked, and the chat falls back to a model it may use.
  await expect(chat.modelPicker).toHaveText("Model: Fast");
  await chat.composer.press("Enter");
  await chat.waitForReply();
  await expect(chat.lastReply).toContainText(answeredBy("Fast", "fast-1"));
});

test("a model's own per-minute limit: the hint says so, and the next message waits in the limit bubble", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.104");
  await chat.chooseModel("strict");
  await expect(chat.limitHint).toHaveText("1 message left this minute with this model");
  await chat.sendAndWait("first to strict");
  await expect(chat.limitHint).toHaveText("No messages left this minute with this model");
  await screenshotLooks(chat.page, testInfo, "model-hint", undefined, ["phone"]);
  await chat.send("second to strict");
  await expect(chat.notice).toHaveText(
    /^You're sending messages to this model a bit fast — please wait ~\d+s$/,
  );
  await expect(chat.heldTexts).toHaveText(["second to strict"]);
  await expect(chat.userMessages).toHaveText(["first to strict"]);
  await expect(chat.sendWhenReady).toBeVisible();
  await expect(chat.paywall).toBeHidden();
  // Held through a reload, nothing lost.
  await chat.page.reload();
  await expect(chat.heldTexts).toHaveText(["second to strict"]);
  await expect(chat.notice).toHaveText(/^You're sending messages to this model a bit fast/);
});

test("a full model: a second person sees the busy bubble, held, never the paywall", async ({
  browser,
  appUrl,
}, testInfo) => {
  const first = await openChat(browser, appUrl, "198.51.100.105");
  await first.chooseModel("scarce");
  await first.sendAndWait("I take the only slot");
  await expect(first.lastReply).toContainText(answeredBy("Scarce", "scarce-1"));

  const second = await openChat(browser, appUrl, "203.0.113.105");
  await second.chooseModel("scarce");
  await second.send("is anyone there?");
  await expect(second.notice).toHaveText(/^The assistant is busy right now — please wait ~\d+s$/);
  await expect(second.heldTexts).toHaveText(["is anyone there?"]);
  await expect(second.sendWhenReady).toBeVisible();
  await expect(second.paywall).toBeHidden();
  await expect(second.page.getByTestId("limit-upgrade")).toHaveCount(0); // no plan buys room in it
  await expect(second.announcer).toContainText(
    "The assistant is busy right now. Your message is held, not sent.",
  );
  await expect(second.page.getByTestId("switch-model-hint")).toBeVisible();
  await screenshotLooks(second.page, testInfo, "busy-bubble", undefined, ["phone"]);
  // Another model answers now: choosing it ends the busy wait, and the held message goes with it.
  await second.chooseModel("fast");
  await expect(second.countdown).toHaveCount(0);
  await expect(second.announcer).toHaveText(
    "You can send again. 1 message is still held: use Send now to send it.",
  );
  await second.sendNow.click();
  await expect(second.held).toHaveCount(0);
  await second.waitForReply();
  await expect(second.userMessages).toHaveText(["is anyone there?"]);
  await expect(second.lastReply).toContainText(answeredBy("Fast", "fast-1"));
  // The first person's other models still answer.
  await first.chooseModel("fast");
  await first.sendAndWait("fast still works");
  await expect(first.lastReply).toContainText(answeredBy("Fast", "fast-1"));
});

test("keyboard only: reach the picker, skip the locked model, choose one, send", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.106");
  const { page } = chat;
  await chat.composer.focus();
  await page.keyboard.press("Tab"); // Send is disabled while the box is empty: the picker is next
  await expect(chat.modelPicker).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(chat.modelOption("fast")).toBeFocused(); // the chosen one
  await page.keyboard.press("ArrowDown");
  await expect(chat.modelOption("smart")).toBeFocused(); // locked, still read out
  await page.keyboard.press("Enter");
  await expect(chat.modelMenu).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await expect(chat.modelOption("deep")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(chat.modelMenu).toBeHidden();
  await expect(chat.modelPicker).toBeFocused();
  await expect(chat.modelPicker).toHaveText("Model: Fast");
  await page.keyboard.press("ArrowUp"); // opens too
  await page.keyboard.press("End");
  await expect(chat.modelUnlock).toBeFocused();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Space");
  await expect(chat.modelMenu).toBeHidden();
  await expect(chat.modelPicker).toHaveText("Model: Deep");
  await page.keyboard.press("Shift+Tab");
  await expect(chat.composer).toBeFocused();
  await page.keyboard.type("typed, not clicked");
  await page.keyboard.press("Enter");
  await chat.waitForReply();
  await expect(chat.lastReply).toContainText(answeredBy("Deep", "deep-9"));
});

test("the picker at 375 px: 44 px targets, the open menu inside the screen (light and dark)", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.107");
  const { page } = chat;
  await page.setViewportSize(VIEWPORTS.phone);
  const button = await chat.modelPicker.boundingBox();
  expect(button?.height).toBeGreaterThanOrEqual(44);
  await chat.modelPicker.click();
  const menu = await chat.modelMenu.boundingBox();
  expect(menu).not.toBeNull();
  if (menu) {
    expect(menu.x).toBeGreaterThanOrEqual(0);
    expect(menu.x + menu.width).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    expect(menu.y).toBeGreaterThanOrEqual(0);
  }
  for (const option of await page.getByTestId("model-option").all())
    expect((await option.boundingBox())?.height).toBeGreaterThanOrEqual(44);
  await screenshotLooks(page, testInfo, "model-menu");
});
