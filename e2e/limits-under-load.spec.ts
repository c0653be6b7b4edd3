// The limits hold in the conditions they exist for: a flood on a saturated server, and a dripping client.
import { connect } from "node:net";
import { type AppServer, startApp } from "../test/support/app-server";
import { expect, postChat, test, withRedisBackedApp } from "../test/support/e2e";

const chat = (app: AppServer, ip: string) => postChat(app, ip);

async function outcome(response: Response) {
  await response.arrayBuffer();
  return { status: response.status, rateLimit: response.headers.get("ratelimit") };
}

test.describe("a flood on real Redis", () => {
  const ctx = withRedisBackedApp({ CHAT_MAX_CONCURRENT_STREAMS: "0" });

  test("250 other addresses at once don't open the victim's limit: exactly 5, every answer with RateLimit", async () => {
    test.setTimeout(90_000);
    const others = Array.from({ length: 250 }, (_, i) =>
      chat(ctx.app, `100.70.${i >> 8}.${i & 255}`).then(outcome),
    );
    const victim = Array.from({ length: 50 }, () => chat(ctx.app, "198.51.100.99").then(outcome));
    const [otherResults, victimResults] = await Promise.all([Promise.all(others), Promise.all(victim)]);
    const all = [...otherResults, ...victimResults];
    expect(all.filter((r) => r.status >= 500)).toEqual([]);
    expect(victimResults.filter((r) => r.status === 200)).toHaveLength(5);
    expect(all.filter((r) => !r.rateLimit)).toEqual([]);
    // Whether the store kept its deadline is not asserted here: this test's own process serves the REST endpoint
    // and fires the flood, so on a loaded machine the store itself can be late (CI once saw one fallback
    // episode). The limit held either way; a busy event loop not tripping the deadline is proven by
    // lib/resilience/deadline.test.ts, and the fallbacks under load are counted by the throughput bench.
  });

  test("300 parallel requests from one address: exactly 5", async () => {
    test.setTimeout(90_000);
    const results = await Promise.all(
      Array.from({ length: 300 }, () => chat(ctx.app, "198.51.100.98").then(outcome)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
  });
});

test.describe("a client that drips its body", () => {
  let app: AppServer;
  test.beforeAll(async () => {
    app = await startApp({ RATE_LIMIT_CHAT_PER_MIN: "1" });
  });
  test.afterAll(() => app?.stop());

  /** Opens a raw connection, sends the head and then one byte every 500 ms; resolves when the server closes it. */
  function drip(ip: string, timeoutMs: number) {
    const url = new URL(app.url);
    const started = Date.now();
    return new Promise<{ head: string; closedAfterMs: number }>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let received = "";
      let timer: ReturnType<typeof setInterval> | undefined;
      socket.on("connect", () => {
        socket.write(
          `POST /api/chat/message HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: application/json\r\n` +
            `x-forwarded-for: ${ip}\r\ncontent-length: 4000\r\n\r\n{`,
        );
        timer = setInterval(() => socket.write(" "), 500);
      });
      socket.on("data", (data) => {
        received += data.toString("latin1");
      });
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(timer);
        resolve({ head: received, closedAfterMs: Date.now() - started });
      });
      setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        reject(new Error(`connection still open after ${timeoutMs} ms; received: ${received.slice(0, 200)}`));
      }, timeoutMs);
    });
  }

  test("is refused within a second when it is already limited, and its connection is closed", async () => {
    const ip = "198.51.100.97";
    expect((await outcome(await chat(app, ip))).status).toBe(200);
    const refused = await chat(app, ip);
    expect((await outcome(refused)).status).toBe(429);
    // A refused client whose body arrived at once keeps its connection for its next request.
    expect(refused.headers.get("connection")).toBe("keep-alive");
    const { head, closedAfterMs } = await drip(ip, 20_000);
    expect(head).toMatch(/^HTTP\/1\.1 429/);
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  test("is cut off with 408 after the body time limit when it is not limited", async () => {
    test.setTimeout(60_000);
    const { head, closedAfterMs } = await drip("198.51.100.96", 30_000);
    expect(head).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(20_000);
  });
});
