// The 429 as the chatter lives it (issue 13): nothing typed is lost — messages held in order, through a reload,
// sent by "Send when ready" — the seed's per-minute sentence, and announcements made once, not every second.
import {
  type ChatPage,
  expect,
  openChat,
  PER_MINUTE_NOTICE,
  screenshotLooks,
  test,
  VIEWPORTS,
} from "../test/support/e2e";

// A 20 s "minute" leaves a countdown long enough to type, reload and look during it (a sliding log: the wait
// runs from the first message of the sequence, whenever it starts). Budget on, but far away: the
// paywall exists and must stay closed.
const WINDOW_SECONDS = 20;

test.use({
  appEnv: {
    RATE_LIMIT_CHAT_PER_MIN: "2",
    RATE_LIMIT_MINUTE_WINDOW_SECONDS: String(WINDOW_SECONDS),
    OFFLINE_MODEL_DELAY_MS: "5",
    AUTH_DEV_SIGNIN: "true",
    CHAT_DAILY_TOKEN_BUDGET: "1000000",
  },
});

// Each test may wait for room in a window and then out a countdown.
test.describe.configure({ timeout: 120_000 });

/** Two admitted messages, then `refused` is refused: the bubble holds it. */
async function reachTheLimit(chat: ChatPage, refused: string): Promise<void> {
  await chat.sendAndWait("one");
  await chat.sendAndWait("two");
  await chat.send(refused);
  await expect(chat.notice).toHaveText(PER_MINUTE_NOTICE);
  await expect(chat.heldTexts).toHaveText([refused]);
}

/** The stored per-conversation entry (localStorage), or null. */
function savedEntry(chat: ChatPage) {
  return chat.page.evaluate(
    (id) => JSON.parse(localStorage.getItem(`throttled-chat:chat:${id}`) ?? "null"),
    chat.conversationId(),
  );
}

test("problem 1: a second refused message queues behind the first instead of erasing it", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.11");
  const { page } = chat;
  await reachTheLimit(chat, "A, too fast");
  // The failing sequence: during the countdown type B and press Enter. B joins the queue behind A.
  await expect(chat.composer).toHaveValue("");
  await chat.composer.fill("B, during the countdown");
  await expect(page.getByTestId("send-button")).toBeEnabled(); // never disabled by a countdown
  await chat.composer.press("Enter");
  await chat.send("C, also held");
  await expect(chat.heldTexts).toHaveText(["A, too fast", "B, during the countdown", "C, also held"]);
  await expect(chat.composer).toHaveValue("");
  // Held messages are not part of the conversation, nor duplicated in it.
  await expect(chat.userMessages).toHaveText(["one", "two"]);
  await expect(page.getByTestId("paywall")).toBeHidden();

  // Each has its own Remove; focus moves on to the next one.
  await chat.held.nth(1).getByTestId("held-remove").click();
  await expect(chat.heldTexts).toHaveText(["A, too fast", "C, also held"]);
  await expect(chat.held.nth(1).getByTestId("held-remove")).toBeFocused();

  // Send when ready: the rest go in order once the wait ends, each through the same endpoint and limits.
  await chat.sendWhenReady.click();
  await expect(chat.autoSendPlan).toHaveText("2 messages will be sent in order as soon as the wait ends.");
  await expect(chat.held).toHaveCount(0, { timeout: (WINDOW_SECONDS + 10) * 1000 });
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["one", "two", "A, too fast", "C, also held"]);
  await expect(chat.assistantMessages).toHaveCount(4);
  await expect(chat.bubble).toHaveCount(0);
  expect(await savedEntry(chat)).toBeNull(); // nothing left to keep
  await page.reload();
  await expect(chat.userMessages).toHaveText(["one", "two", "A, too fast", "C, also held"]);
  await expect(chat.held).toHaveCount(0);
});

test("problem 2: held messages and the draft survive a reload; Send when ready sends them in order", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.12");
  const { page } = chat;
  await reachTheLimit(chat, "first held");
  await chat.send("second held");
  await chat.composer.fill("a half-typed thought");
  await expect(chat.heldTexts).toHaveText(["first held", "second held"]);
  const saved = await savedEntry(chat);
  expect(saved.held.map((h: { text: string }) => h.text)).toEqual(["first held", "second held"]);

  // The failing sequence: reload during the countdown. Everything is still there, the countdown too.
  await page.reload();
  await expect(chat.heldTexts).toHaveText(["first held", "second held"]);
  await expect(chat.composer).toHaveValue("a half-typed thought");
  await expect(chat.userMessages).toHaveText(["one", "two"]);
  await expect(chat.notice).toHaveText(PER_MINUTE_NOTICE);
  expect(await chat.noticeSeconds()).toBeGreaterThan(0);
  await screenshotLooks(page, testInfo, "held-queue", (p) =>
    p.getByTestId("rate-limit-bubble").scrollIntoViewIfNeeded(),
  );

  await chat.sendWhenReady.click();
  await expect(chat.sendWhenReady).toHaveText("Don't send automatically");
  await expect(chat.held).toHaveCount(0, { timeout: (WINDOW_SECONDS + 10) * 1000 });
  // The second may meet the window's last moments (a 429 told to the second, sent again by itself): the send
  // button shows in that gap, so the end is the fourth reply, and the store is read until it has the exchange.
  await expect(chat.assistantMessages).toHaveCount(4, { timeout: 20_000 });
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["one", "two", "first held", "second held"]);
  await expect
    .poll(async () => (await chat.storedMessages()).filter((m) => m.role === "user").map((m) => m.text))
    .toEqual(["one", "two", "first held", "second held"]);
  // Sent messages are no longer kept; the draft is, until it is sent.
  expect(await savedEntry(chat)).toMatchObject({ draft: "a half-typed thought", held: [] });
  await page.reload();
  await expect(chat.composer).toHaveValue("a half-typed thought");
  await expect(chat.held).toHaveCount(0);
});

test("problem 6: the refusal is announced once and the end of the wait once; the digits tick outside live regions", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.13");
  const { page } = chat;
  // The live region is there, empty, before anything happens (one inserted already filled may go unread).
  await expect(chat.announcer).toHaveAttribute("role", "status");
  await expect(chat.announcer).toHaveAttribute("aria-live", "polite");
  await expect(chat.announcer).toHaveText("");
  // Record every text the live region and the countdown show.
  await page.evaluate(() => {
    const record = (el: Element, into: string[]) =>
      new MutationObserver(() => {
        const text = el.textContent ?? "";
        if (text && into.at(-1) !== text) into.push(text);
      }).observe(el, { childList: true, characterData: true, subtree: true });
    const w = window as unknown as { announced: string[]; ticks: string[] };
    w.announced = [];
    w.ticks = [];
    const announcer = document.querySelector("[data-testid='chat-announcer']");
    if (announcer) record(announcer, w.announced);
    new MutationObserver(() => {
      const countdown = document.querySelector("[data-testid='countdown']")?.textContent;
      if (countdown && w.ticks.at(-1) !== countdown) w.ticks.push(countdown);
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
  });

  await reachTheLimit(chat, "wait for me");
  // The digits are in no live region: not the bubble, not the role=log transcript.
  const countdownLive = await chat.countdown.evaluate(
    (el) =>
      el.closest("[aria-live], [role=status], [role=log], [role=alert], [role=timer], [role=marquee]") !==
      null,
  );
  expect(countdownLive).toBe(false);
  await expect(page.getByRole("log").getByTestId("rate-limit-bubble")).toHaveCount(0);
  await expect(chat.sendNow).toBeVisible({ timeout: (WINDOW_SECONDS + 5) * 1000 });
  await expect(chat.announcer).toHaveText(/^You can send again/);

  const { announced, ticks } = await page.evaluate(() => {
    const w = window as unknown as { announced: string[]; ticks: string[] };
    return { announced: w.announced, ticks: w.ticks };
  });
  expect(ticks.length).toBeGreaterThan(2); // the countdown did tick…
  expect(announced).toEqual([
    // …but the live region spoke twice: what happened and how long, then that sending is possible again.
    expect.stringMatching(
      /^You're sending messages a bit fast\. Your message is held, not sent\. You can send again in about \d+ seconds?\.$/,
    ),
    "You can send again. 1 message is still held: use Send now to send it.",
  ]);
  await chat.sendNow.click();
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["one", "two", "wait for me"]);
});

test("a new chat whose first message was refused comes back after a reload as a new chat with it held", async ({
  browser,
  appUrl,
}) => {
  const chat = await openChat(browser, appUrl, "198.51.100.14");
  const { page } = chat;
  await chat.sendAndWait("one");
  await chat.sendAndWait("two");
  await page.getByTestId("new-chat").click();
  await chat.send("the first words of a new chat");
  await expect(chat.heldTexts).toHaveText(["the first words of a new chat"]);
  const id = chat.conversationId();

  await page.reload();
  expect(chat.conversationId()).toBe(id);
  await expect(page.getByTestId("conversation-missing")).toHaveCount(0);
  await expect(chat.heldTexts).toHaveText(["the first words of a new chat"]);
  await expect(chat.userMessages).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New chat");

  await expect(chat.sendNow).toBeVisible({ timeout: (WINDOW_SECONDS + 5) * 1000 });
  await chat.sendNow.click();
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["the first words of a new chat"]);
  await expect(chat.conversationItems).toHaveCount(2);
});

test("a signed-in user and an anonymous user on the same machine hit their own limits", async ({
  browser,
  appUrl,
}) => {
  const ip = "198.51.100.22";
  const guest = await openChat(browser, appUrl, ip);
  const member = await openChat(browser, appUrl, ip);
  await member.page.getByTestId("signin-name").fill("Ada Lovelace");
  await member.page.getByTestId("signin-button").click();
  await expect(member.page.getByTestId("current-user")).toHaveText("Ada Lovelace");
  await expect(guest.page.getByTestId("current-user")).toHaveText("Guest");

  await reachTheLimit(guest, "guest three");
  // The guest's limit is spent; the member on the same address still has their own two.
  await member.sendAndWait("member one");
  await member.sendAndWait("member two");
  await expect(member.bubble).toHaveCount(0);
  await member.send("member three");
  await expect(member.notice).toHaveText(PER_MINUTE_NOTICE);
  await expect(member.userMessages).toHaveCount(2);
});

test("on a 375 px touch phone in dark mode the bubble is readable and every control is at least 44 px", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "198.51.100.33", {
    viewport: VIEWPORTS.phone,
    colorScheme: "dark",
    isMobile: true,
    hasTouch: true,
  });
  const { page } = chat;
  await reachTheLimit(chat, "three");
  await chat.bubble.scrollIntoViewIfNeeded();
  const box = await chat.bubble.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  const style = await chat.notice.evaluate((el) => ({
    fontSize: Number.parseFloat(getComputedStyle(el).fontSize),
    color: getComputedStyle(el).color,
    background: getComputedStyle(document.body).backgroundColor,
  }));
  expect(style.fontSize).toBeGreaterThanOrEqual(14);
  const luminance = (rgb: string) => {
    const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  expect(luminance(style.background)).toBeLessThan(80);
  expect(luminance(style.color)).toBeGreaterThan(150);

  // Touch targets: Remove, Send when ready, Send, and the last reply's actions.
  const controls = [
    chat.held.getByTestId("held-remove"),
    chat.sendWhenReady,
    page.getByTestId("send-button"),
    chat.lastReply.getByTestId("copy-message"),
  ];
  for (const control of controls) {
    const size = await control.boundingBox();
    const name = `${await control.getAttribute("data-testid")}`;
    expect(size?.width, name).toBeGreaterThanOrEqual(44);
    expect(size?.height, name).toBeGreaterThanOrEqual(44);
  }
  await chat.sendWhenReady.tap();
  await expect(chat.autoSendPlan).toHaveText("Your held message will be sent as soon as the wait ends.");
  await page.screenshot({ path: testInfo.outputPath("rate-limit-phone-dark.png") });
  await expect(chat.held).toHaveCount(0, { timeout: (WINDOW_SECONDS + 10) * 1000 });
  await chat.waitForReply();
  await expect(chat.userMessages).toHaveText(["one", "two", "three"]);
});
