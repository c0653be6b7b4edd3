// Redis down or hung: every instance keeps enforcing the limits itself, replies still end, usage is billed later.
import { type AppServer, startApp } from "../test/support/app-server";
import { expect, postChat, test, withRedisBackedApp } from "../test/support/e2e";

const TIMEOUT_MS = 500;

const chat = (app: AppServer, ip: string) => postChat(app, ip);

/** Two clients of one identity sending back to back for `ms`: how many replies they got. */
async function hammer(app: AppServer, ip: string, ms: number): Promise<{ admitted: number; sent: number }> {
  const deadline = Date.now() + ms;
  let admitted = 0;
  let sent = 0;
  const chain = async () => {
    while (Date.now() < deadline) {
      const response = await chat(app, ip);
      await response.arrayBuffer();
      sent += 1;
      if (response.status === 200) admitted += 1;
      else expect([429, 402]).toContain(response.status);
    }
  };
  await Promise.all([chain(), chain()]);
  return { admitted, sent };
}

test.describe("Redis outage, fail-open", () => {
  const ctx = withRedisBackedApp({
    RATE_LIMIT_TIMEOUT_MS: String(TIMEOUT_MS),
    CHAT_MAX_CONCURRENT_STREAMS: "0",
    CHAT_DAILY_TOKEN_BUDGET: "1000000",
  });

  test("Redis killed: one identity still gets at most its per-minute limit, and its usage is billed afterwards", async () => {
    test.setTimeout(90_000);
    const { app, stack } = ctx;
    await stack.stopRedis();
    const { admitted, sent } = await hammer(app, "198.51.100.120", 10_000);
    expect(sent).toBeGreaterThan(20);
    expect(admitted).toBe(5);
    await stack.startRedis();
    // The next message that reaches Redis sends the bill along; the identity's usage then shows it.
    await expect
      .poll(
        async () => {
          await (await chat(app, "198.51.100.121")).arrayBuffer();
          const usage = await fetch(`${app.url}/api/usage`, {
            headers: { "x-forwarded-for": "198.51.100.120" },
          });
          return (await usage.json()).used;
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
  });

  test("Redis hung (SIGSTOP): at most the limit, and no answer waits much longer than the timeout", async () => {
    test.setTimeout(90_000);
    const { app, stack } = ctx;
    stack.pauseRedis();
    try {
      const started = Date.now();
      const { admitted } = await hammer(app, "198.51.100.122", 10_000);
      expect(admitted).toBe(5);
      expect(Date.now() - started).toBeLessThan(10_000 + 3_000);
    } finally {
      stack.resumeRedis();
    }
  });

  test("replies admitted before Redis hangs still end: the stream closes without waiting for Redis", async () => {
    test.setTimeout(90_000);
    const { stack } = ctx;
    const slowApp = await startApp({
      UPSTASH_REDIS_REST_URL: stack.restUrl,
      UPSTASH_REDIS_REST_TOKEN: stack.restToken,
      RATE_LIMIT_TIMEOUT_MS: String(TIMEOUT_MS),
      OFFLINE_MODEL_DELAY_MS: "40",
      CHAT_DAILY_TOKEN_BUDGET: "1000000",
    });
    try {
      const replies = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const response = await chat(slowApp, `198.51.100.${130 + i}`);
          expect(response.status).toBe(200);
          return response;
        }),
      );
      // Every reply is streaming; now Redis freezes before any of them ends.
      stack.pauseRedis();
      const ended = await Promise.all(
        replies.map(async (response) => {
          const body = await Promise.race([
            response.text(),
            new Promise<string>((resolve) => setTimeout(() => resolve("<still open>"), 20_000)),
          ]);
          return body.trimEnd().endsWith("data: [DONE]");
        }),
      );
      expect(ended).toEqual(Array(12).fill(true));
    } finally {
      stack.resumeRedis();
      await slowApp.stop();
    }
  });
});
