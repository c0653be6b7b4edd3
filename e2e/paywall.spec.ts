// Daily credits in a real browser: the paywall (402) opens, never the 429 bubble; guests are asked to sign in
// first, and a signed-in user's Upgrade carries their id as Stripe's client_reference_id.
import { expect, openChat, test } from "../test/support/e2e";

test.use({
  appEnv: {
    // Enough for one exchange; the second message's prompt (with that history) no longer fits.
    CHAT_DAILY_TOKEN_BUDGET: "400",
    RATE_LIMIT_CHAT_PER_MIN: "3",
    OFFLINE_MODEL_DELAY_MS: "5",
    PAYWALL_URL: "https://billing.example/upgrade",
    AUTH_DEV_SIGNIN: "true",
  },
});

test("a guest who uses up a tiny budget gets the paywall with usage, reset time and 'Sign in to upgrade'", async ({
  page,
}, testInfo) => {
  // Guests' credits are per IP: each test brings its own address, so neither uses up the other's.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "198.51.100.21" });
  await page.goto("/");
  await expect(page.getByTestId("usage-meter")).toBeVisible();
  const composer = page.getByTestId("composer-input");
  await composer.fill("use up my credits please");
  await composer.press("Enter");
  await expect(page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });

  await composer.fill("one more question");
  await composer.press("Enter");
  const dialog = page.getByTestId("paywall");
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute("role", "dialog");
  await expect(page.getByTestId("paywall-budget")).toHaveText("400");
  // The truth, never more than the budget: what the first exchange cost.
  const used = Number(((await page.getByTestId("paywall-used").textContent()) ?? "").replace(/\D/g, ""));
  expect(used).toBeGreaterThan(0);
  expect(used).toBeLessThanOrEqual(400);
  await expect(page.getByTestId("paywall-resets")).toHaveAttribute("datetime", /T00:00:00\.000Z$/);
  // A guest can't buy anything yet: the payment must know whose plan to raise.
  await expect(page.getByTestId("paywall-upgrade")).toHaveCount(0);
  await expect(page.getByTestId("paywall-signin")).toHaveText("Sign in to upgrade");
  await expect(page.getByTestId("rate-limit-bubble")).toHaveCount(0);
  await dialog.screenshot({ path: testInfo.outputPath("paywall.png") });
  await testInfo.attach("paywall", { path: testInfo.outputPath("paywall.png"), contentType: "image/png" });

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  // Nothing the user typed is lost, and the refused message is not left in the conversation.
  await expect(composer).toHaveValue("one more question");
  await expect(page.getByTestId("message-user")).toHaveCount(1);
});

test("'Sign in to upgrade' leads to sign-in; a signed-in free user's Upgrade carries their id", async ({
  page,
}) => {
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "198.51.100.22" });
  await page.goto("/");
  const composer = page.getByTestId("composer-input");
  await composer.fill("spend it all");
  await composer.press("Enter");
  await expect(page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });
  await composer.fill("keep this text");
  await composer.press("Enter");
  await page.getByTestId("paywall-signin").click();
  await expect(page.getByTestId("paywall")).toBeHidden();
  await expect(page.getByTestId("signin-name")).toBeFocused();

  await page.keyboard.type("Paying Customer");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("current-user")).toHaveText("Paying Customer");
  await expect(page.getByTestId("current-plan")).toHaveText("Free plan");
  // The conversation and the unsent text stayed through the sign-in.
  await expect(page.getByTestId("message-user")).toHaveCount(1);
  await expect(composer).toHaveValue("keep this text");

  const { user } = (await (await page.request.get("/api/session")).json()) as { user: { id: string } };
  const expected = `https://billing.example/upgrade?client_reference_id=${user.id}`;
  await expect(page.getByTestId("account-upgrade")).toHaveAttribute("href", expected);

  // The account has its own fresh budget; using it up shows the paywall with the real Upgrade link.
  await composer.press("Enter");
  await expect(page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });
  await composer.fill("and another");
  await composer.press("Enter");
  await expect(page.getByTestId("paywall-upgrade")).toHaveAttribute("href", expected);
  await expect(page.getByTestId("paywall-signin")).toHaveCount(0);
  await expect(page.getByTestId("paywall-upgrade-text")).toHaveText(
    "You're on the Free plan, with 400 tokens a day. Upgrading gives you more daily credits, so you can keep chatting now instead of waiting for the reset.",
  );
});

test("problems 4 and 5: out of credits, six retries stay 402 on the wire and a truthful paywall on screen", async ({
  browser,
  appUrl,
}) => {
  // Three a minute: before refusals counted nothing, the fourth try turned the paywall into a 429.
  const chat = await openChat(browser, appUrl, "198.51.100.71");
  const { page } = chat;
  const statuses: number[] = [];
  page.on("response", (r) => {
    if (r.url().endsWith("/api/chat/message")) statuses.push(r.status());
  });
  await chat.sendAndWait("use up my credits please");

  for (let attempt = 1; attempt <= 6; attempt++) {
    if (attempt === 1) await chat.send("one more question");
    else await chat.composer.press("Enter"); // the text is back in the composer: just send it again
    await expect(chat.paywall).toBeVisible();
    await expect.poll(() => statuses.length).toBe(attempt + 1);
    await expect(chat.bubble).toHaveCount(0);
    // The truth: never more used than the budget, when it resets, what upgrading gives, where the text is.
    const used = Number(((await page.getByTestId("paywall-used").textContent()) ?? "").replace(/\D/g, ""));
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(400);
    await expect(page.getByTestId("paywall-budget")).toHaveText("400");
    await expect(chat.paywall).toContainText(
      /Credits reset at .+, your time \(in ~[\d.]+ (hours?|minutes?|seconds?)\)\./,
    );
    await expect(page.getByTestId("paywall-upgrade-text")).toHaveText(
      "You're on the Guest plan, with 400 tokens a day. Sign in to upgrade: a paid plan gives you more daily credits, so you can keep chatting now instead of waiting for the reset.",
    );
    await expect(chat.paywall).toContainText("Your message was not sent: it is back in the message box.");
    await page.keyboard.press("Escape");
    await expect(chat.paywall).toBeHidden();
    await expect(chat.composer).toHaveValue("one more question");
    await expect(chat.composer).toBeFocused();
  }
  expect(statuses).toEqual([200, 402, 402, 402, 402, 402, 402]);
  await expect(chat.userMessages).toHaveText(["use up my credits please"]);
  await expect(chat.held).toHaveCount(0);
  // The refusals took nothing from the limits: one message counted this minute.
  const limits = await page.request.get(new URL("/api/limits", appUrl).toString());
  const { layers } = (await limits.json()) as { layers: { name: string; remaining: number }[] };
  expect(layers.find((l) => l.name === "min")?.remaining).toBe(2);
});

test("a long conversation's paywall says its history is why and offers a new chat, where the message then goes", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.23");
  const { page } = chat;
  await chat.sendAndWait("use up my credits please");
  const first = chat.conversationId();
  await chat.send("one more question");
  await expect(chat.paywall).toBeVisible();
  await expect(page.getByTestId("paywall-history")).toContainText(
    "Every message in this conversation also sends its history",
  );
  await expect(page.getByTestId("paywall-history")).toContainText(
    "a new chat costs less and can be sent now",
  );
  await page.getByTestId("paywall-new-chat").click();
  await expect(chat.paywall).toBeHidden();
  // The new chat sends it at once, and is admitted.
  await expect(chat.userMessages).toHaveText(["one more question"]);
  await chat.waitForReply();
  await expect(chat.assistantMessages).toHaveCount(1);
  await expect(chat.paywall).toBeHidden();
  expect(chat.conversationId()).not.toBe(first);
  expect((await chat.storedMessages()).map((m) => m.role)).toEqual(["user", "assistant"]);
  // The long conversation no longer keeps the text in its message box: it went to the new chat.
  await page.goto(`${appUrl}/?c=${first}`);
  await expect(chat.userMessages).toHaveText(["use up my credits please"]);
  await expect(chat.composer).toHaveValue("");
});
