// Limits seen coming (issue 13): GET /api/limits reads without spending, the quiet "2 messages left" hint from
// it and from every reply's RateLimit headers, and the hourly refusal said in minutes and clock time.
import { expect, openChat, postChat, screenshotLooks, test } from "../test/support/e2e";

// A 30 s "minute" (room to look at the hint) and the real hour, with limits small enough to reach.
const MINUTE = 30;

test.use({
  appEnv: {
    RATE_LIMIT_CHAT_PER_MIN: "3",
    RATE_LIMIT_CHAT_PER_HOUR: "5",
    RATE_LIMIT_MINUTE_WINDOW_SECONDS: String(MINUTE),
    OFFLINE_MODEL_DELAY_MS: "2",
  },
});

type Layers = { name: string; limit: number; remaining: number; resets_at: string; window_seconds: number }[];

async function limitsOf(appUrl: string, ip: string): Promise<Layers> {
  const response = await fetch(`${appUrl}/api/limits`, { headers: { "x-forwarded-for": ip } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { layers: Layers }).layers;
}
const remaining = (layers: Layers) => Object.fromEntries(layers.map((l) => [l.name, l.remaining]));

test("GET /api/limits: a send takes one from each layer; reading it 20 times takes nothing", async ({
  appUrl,
  browser,
}) => {
  const ip = "203.0.113.41";
  const before = await limitsOf(appUrl, ip);
  expect(remaining(before)).toEqual({ min: 3, hour: 5, "ip-min": 30 });
  for (let i = 0; i < 20; i++) await limitsOf(appUrl, ip);
  expect(remaining(await limitsOf(appUrl, ip))).toEqual({ min: 3, hour: 5, "ip-min": 30 });

  const sent = await postChat(appUrl, ip, { text: "counted once" });
  expect(sent.status).toBe(200);
  expect(sent.headers.get("ratelimit")).toMatch(/^"min";r=2;t=\d+$/);
  await sent.text();
  expect(remaining(await limitsOf(appUrl, ip))).toEqual({ min: 2, hour: 4, "ip-min": 29 });

  // On load the page reads the same: two left this minute, said quietly under the composer.
  const chat = await openChat(browser, appUrl, ip);
  await expect(chat.limitHint).toHaveText("2 messages left this minute");
  expect(remaining(await limitsOf(appUrl, ip))).toEqual({ min: 2, hour: 4, "ip-min": 29 });
});

test("problem 3: the hint counts down each reply, then the hourly refusal reads in minutes and clock time", async ({
  browser,
  appUrl,
}, testInfo) => {
  const chat = await openChat(browser, appUrl, "203.0.113.42", {
    locale: "en-GB",
    timezoneId: "Europe/London",
  });
  const { page } = chat;
  await expect(page.getByTestId("composer-input")).toBeEditable();
  await expect(chat.limitHint).toHaveCount(0); // plenty left: nothing shown

  await chat.sendAndWait("one");
  await expect(chat.limitHint).toHaveText("2 messages left this minute");
  await screenshotLooks(page, testInfo, "two-left-hint");
  await chat.sendAndWait("two");
  await expect(chat.limitHint).toHaveText("1 message left this minute");
  await chat.sendAndWait("three");
  await expect(chat.limitHint).toHaveText("No messages left this minute");
  // The minute ends by itself; then the hour is the tighter layer.
  await expect(chat.limitHint).toHaveText("2 messages left this hour", { timeout: (MINUTE + 5) * 1000 });
  await chat.sendAndWait("four");
  await expect(chat.limitHint).toHaveText("1 message left this hour");
  await chat.sendAndWait("five");
  await expect(chat.limitHint).toHaveText("No messages left this hour");

  // The failing sequence: one more. It used to read "please wait ~3596s".
  const refused = page.waitForResponse((r) => r.url().endsWith("/api/chat/message"));
  await chat.send("six, past the hour's limit");
  const response = await refused;
  expect(response.status()).toBe(429);
  const body = await response.json();
  expect(body).toMatchObject({ scope: "user", layer: "hour", limit: 5 });
  // The page counts the wait from when the answer arrived, a moment before this reads its clock: the minute
  // may differ between the two, so both are accepted.
  const clocks = await page.evaluate(
    (seconds) =>
      [0, 5_000].map((arrivedAgo) =>
        new Date(Date.now() - arrivedAgo + seconds * 1000).toLocaleTimeString("en-GB", {
          hour: "2-digit",
          minute: "2-digit",
        }),
      ),
    body.retry_after_seconds,
  );
  const clock = `(?:${[...new Set(clocks)].join("|")})`;
  const minutes = Math.ceil(body.retry_after_seconds / 60);
  // The person's clock (en-GB: 24-hour) and Intl's relative time, in minutes.
  await expect(chat.notice).toHaveText(
    new RegExp(
      `^You've reached the hourly limit of 5 messages — you can send again at ${clock}( tomorrow)? \\(in ~(${minutes}|${minutes - 1}) minutes\\)$`,
    ),
  );
  await expect(chat.notice).not.toContainText(/\d{3,}s/);
  await expect(chat.heldTexts).toHaveText(["six, past the hour's limit"]);
  await expect(chat.limitHint).toHaveCount(0); // the bubble says it all now
  await screenshotLooks(page, testInfo, "hourly-refusal", (p) =>
    p.getByTestId("rate-limit-bubble").scrollIntoViewIfNeeded(),
  );
});
