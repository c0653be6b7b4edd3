// Faults against a production server: Redis killed and restarted, fail-closed mode, a client gone mid-stream.

import { type AppServer, startApp } from "../test/support/app-server";
import { newId } from "../test/support/chat-body";
import { expect, postChat, test, withRedisBackedApp } from "../test/support/e2e";
import { startFakeOpenAI } from "../test/support/fake-openai";

const TIMEOUT_MS = 500;

const chatRequest = (app: AppServer, ip: string, text = "hello", signal?: AbortSignal) =>
  postChat(app, ip, { text, signal });

async function timed(app: AppServer, ip: string) {
  const started = performance.now();
  const res = await chatRequest(app, ip);
  const ms = performance.now() - started;
  await res.arrayBuffer();
  return { status: res.status, ms };
}

async function health(app: AppServer) {
  return (await (await fetch(`${app.url}/api/health`)).json()) as { status: string };
}

test.describe("Redis outage, fail-open (default)", () => {
  const ctx = withRedisBackedApp({
    RATE_LIMIT_TIMEOUT_MS: String(TIMEOUT_MS),
    RATE_LIMIT_CHAT_PER_MIN: "3",
    CHAT_MAX_CONCURRENT_STREAMS: "0",
  });

  test("no 5xx and bounded latency while Redis is down; health degraded, then ok and limiting again", async () => {
    test.setTimeout(60_000);
    const { app, stack } = ctx;
    const answers: { status: number; ms: number; phase: string }[] = [];
    let phase = "up";
    let ipCounter = 0;
    const flow = (async () => {
      const deadline = Date.now() + 4_000;
      while (Date.now() < deadline) {
        ipCounter += 1;
        answers.push({ ...(await timed(app, `198.51.100.${ipCounter % 250}`)), phase });
      }
    })();
    await new Promise((r) => setTimeout(r, 800));
    phase = "down";
    await stack.stopRedis();
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await health(app)).status).toBe("degraded");
    await flow;

    const during = answers.filter((a) => a.phase === "down");
    expect(during.length).toBeGreaterThan(5);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    // Bounded, not hanging: the store's deadline plus whatever a loaded machine adds (speed lives in the bench).
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(TIMEOUT_MS * 6);

    await stack.startRedis();
    const returned = Date.now();
    await expect
      .poll(async () => (await health(app)).status, { timeout: 5_000, intervals: [100] })
      .toBe("ok");
    // Limiting resumes: a fresh identity is refused on its 4th message within the minute.
    await expect
      .poll(
        async () => {
          const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
          const statuses = [];
          for (let i = 0; i < 4; i++) statuses.push((await timed(app, ip)).status);
          return statuses.join(",");
        },
        { timeout: 5_000 - (Date.now() - returned), intervals: [100] },
      )
      .toBe("200,200,200,429");
  });
});

test.describe("Redis outage, fail-closed", () => {
  const ctx = withRedisBackedApp({
    RATE_LIMIT_TIMEOUT_MS: String(TIMEOUT_MS),
    RATE_LIMIT_FAIL_MODE: "closed",
  });

  test("answers 503 JSON with Retry-After while Redis is down, and recovers", async () => {
    const { app, stack } = ctx;
    const first = await chatRequest(app, "192.0.2.10");
    expect(first.status, app.output()).toBe(200);
    await first.arrayBuffer();
    // The first reply handed this cookieless client a guest session: its conversations are its own.
    const session = /chat_guest=[^;]+/.exec(first.headers.get("set-cookie") ?? "")?.[0] ?? "";
    expect(session).not.toBe("");
    await stack.stopRedis();
    const res = await chatRequest(app, "192.0.2.11");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toMatchObject({ error: "unavailable" });
    // Listing needs the store: a quick 503 JSON, not a hang or a bare 500; health stays up and says degraded.
    const list = await fetch(`${app.url}/api/conversations`, { headers: { cookie: session } });
    expect(list.status).toBe(503);
    expect(await list.json()).toMatchObject({ error: "unavailable" });
    expect(await health(app)).toMatchObject({ status: "degraded" });
    await stack.startRedis();
    await expect.poll(async () => (await timed(app, "192.0.2.12")).status, { timeout: 5_000 }).toBe(200);
  });
});

test.describe("client abort mid-stream", () => {
  test("a client that leaves does not stop the model (its slot stays taken); Stop does, within 1 s", async () => {
    const fake = await startFakeOpenAI({ reply: "word ".repeat(120), chunkDelayMs: 20 });
    const app = await startApp({
      OPENAI_BASE_URL: fake.baseURL,
      AI_MODEL: "fake-model",
      CHAT_MAX_CONCURRENT_STREAMS: "1",
      RATE_LIMIT_CHAT_PER_MIN: "100",
      RATE_LIMIT_CHAT_IP_PER_MIN: "100",
    });
    const startReply = async (conversationId: string, cookie?: string) => {
      const controller = new AbortController();
      const res = await postChat(app, "192.0.2.50", {
        text: "stream a long answer",
        conversationId,
        signal: controller.signal,
        headers: cookie ? { cookie } : {},
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      await reader.read();
      return {
        controller,
        cookie: cookie ?? /chat_guest=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "",
      };
    };
    /** The conversation as stored, once its reply has been saved (the same write frees the reply's slot). */
    const storedReply = async (id: string, cookie: string) => {
      let messages: { metadata?: { incomplete?: boolean } }[] = [];
      await expect
        .poll(
          async () => {
            const res = await fetch(`${app.url}/api/conversations/${id}`, { headers: { cookie } });
            messages = ((await res.json()) as { messages?: typeof messages }).messages ?? [];
            return messages.length;
          },
          { timeout: 20_000, intervals: [100] },
        )
        .toBe(2);
      return messages[1];
    };
    try {
      const left = newId();
      const first = await startReply(left);
      first.controller.abort();
      // The reply goes on without its client: its one slot stays taken until the model ends.
      const busy = await chatRequest(app, "192.0.2.50");
      expect(busy.status).toBe(429);
      expect(await busy.json()).toMatchObject({ scope: "concurrency" });
      expect((await storedReply(left, first.cookie))?.metadata?.incomplete).toBe(false);
      expect(fake.aborted()).toBe(0);

      // Stop (from any tab: DELETE …/stream) cancels the upstream call and frees the slot.
      const stopped = newId();
      await startReply(stopped, first.cookie);
      await expect
        .poll(
          async () => {
            const stop = await fetch(`${app.url}/api/conversations/${stopped}/stream`, {
              method: "DELETE",
              headers: { cookie: first.cookie },
            });
            return stop.status;
          },
          { timeout: 5_000, intervals: [50] },
        )
        .toBe(202);
      const stoppedAt = Date.now();
      const upstream = await fake.waitForAbort(3_000);
      expect(upstream.at - stoppedAt).toBeLessThan(1_000);
      expect((await storedReply(stopped, first.cookie))?.metadata?.incomplete).toBe(true);
      await startReply(newId(), first.cookie);
    } finally {
      await app.stop();
      await fake.close();
    }
  });
});
