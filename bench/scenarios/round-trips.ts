// round-trips: store round trips before a reply's first token, found by adding a fixed delay to every store call,
// and the store calls a message costs in all (stream and background persistence included).
import { parseJsonEventStream, uiMessageChunkSchema } from "ai";
import { chatBody, newId } from "../../test/support/chat-body";
import { log, waitForQuiet, withApp } from "../harness";
import { foreignCpuMeter } from "../procfs";
import { startBenchRedis } from "../redis-stack";
import type { Scenario } from "../scenario";
import * as S from "../settings";
import { type StoreProxy, settle, shapeOf, startStoreProxy } from "../store-proxy";
import {
  type CaseKind,
  type RoundTripsResult,
  renderRoundTrips,
  type Sample,
  summarise,
} from "./round-trips-report";

/** A reply's persistence is over once no store call was in flight or started for this long. */
const SETTLE_QUIET_MS = 300;
const WARMUP_REQUESTS = 10;
/** Above the app default (2) is not needed: every request waits for the previous one's persistence (slot release). */
const MAX_CONCURRENT_STREAMS = "2";

interface Client {
  url: string;
  /** The signed-in user's session cookie, "chat_session=<jwt>". */
  cookie: string;
}

/** Signs a user in through the app's own dev sign-in (a user JWT signed with AUTH_SECRET, as a cookie). */
async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/dev-signin`, {
    method: "POST",
    headers: S.JSON_HEADERS,
    body: JSON.stringify({ name: "bench round trips" }),
  });
  if (!res.ok) throw new Error(`dev sign-in answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith("chat_session="));
  if (!cookie) throw new Error("dev sign-in set no chat_session cookie");
  return cookie;
}

/** Sends one message and reads the UI message stream to its end; times the first `text-delta` (performance.now()). */
async function send(client: Client, conversationId: string) {
  const start = performance.now();
  const res = await fetch(`${client.url}/api/chat/message`, {
    method: "POST",
    headers: { ...S.JSON_HEADERS, cookie: client.cookie, "x-forwarded-for": S.ADMITTED_IP },
    body: chatBody(conversationId),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 200 || !res.body) {
    throw new Error(`chat answered ${res.status}; this scenario must never be refused: ${await res.text()}`);
  }
  let firstToken = Number.NaN;
  const events = parseJsonEventStream({ stream: res.body, schema: uiMessageChunkSchema }).getReader();
  for (;;) {
    const { done, value } = await events.read();
    if (done) break;
    if (!value.success) throw new Error(`unreadable event in the chat stream: ${String(value.error)}`);
    if (value.value.type === "error") throw new Error(`the reply failed: ${value.value.errorText}`);
    if (value.value.type === "text-delta" && Number.isNaN(firstToken)) firstToken = performance.now();
  }
  if (Number.isNaN(firstToken)) throw new Error("the reply streamed no text-delta event");
  return { start, firstToken, end: performance.now() };
}

/** One message with `delayMs` added to every store call; its store calls counted once persistence is over. */
async function measure(
  client: Client,
  proxy: StoreProxy,
  kind: CaseKind,
  conversationId: string,
  delayMs: number,
): Promise<Sample> {
  proxy.setDelay(delayMs);
  const skip = proxy.calls.length;
  const t = await send(client, conversationId);
  if (!(await settle(proxy, SETTLE_QUIET_MS)))
    throw new Error("the app kept calling the store 10 s after a reply");
  const calls = proxy.calls.slice(skip);
  // The method holds only if every store call went through the proxy and was held.
  if (calls.length === 0)
    throw new Error("a chat message made no store call: the app is not using the proxy");
  // 1 ms of slack: Node's timers count from the event loop's millisecond clock, so one may fire a fraction early.
  const early = calls.find((c) => c.heldMs < delayMs - 1);
  if (early)
    throw new Error(`a store call (${early.path}) was held ${early.heldMs.toFixed(1)} ms, not ${delayMs}`);
  return {
    kind,
    delayMs,
    ttftMs: t.firstToken - t.start,
    totalMs: t.end - t.start,
    calls: calls.map((c) => ({
      shape: shapeOf(c),
      beforeFirstToken: c.at < t.firstToken,
    })),
    heldMs: calls.map((c) => c.heldMs),
  };
}

async function roundTrips(): Promise<RoundTripsResult> {
  const n = S.RTT_REQUESTS;
  const delay = S.RTT_DELAY_MS;
  log(`— round-trips: ${n} requests per case at +0 and +${delay} ms per store call —`);
  const redis = await startBenchRedis(S.ROOT);
  try {
    const p = await startStoreProxy(redis.restUrl);
    const env = {
      UPSTASH_REDIS_REST_URL: p.url,
      UPSTASH_REDIS_REST_TOKEN: redis.restToken,
      AUTH_DEV_SIGNIN: "true",
      ...S.LIMITS_HUGE,
      ...S.CREDITS_HUGE,
      CHAT_MAX_CONCURRENT_STREAMS: MAX_CONCURRENT_STREAMS,
    };
    const measured = withApp(env, redis, [redis.redisPid, redis.restPid], async ({ app, allPids }) => {
      const ours = () => [process.pid, ...allPids()];
      const client = { url: app.url, cookie: await signIn(app.url) };
      // Conversations for the follow-ups, one earlier exchange each, so every follow-up loads the same history.
      const existing: string[] = [];
      for (let i = 0; i < 2 * n + WARMUP_REQUESTS; i++) {
        const id = newId("rt-existing");
        await measure(client, p, "new", id, 0);
        existing.push(id);
      }
      const followUp = () => existing.pop() as string;
      // Warm-up (scripts loaded, code JIT-compiled at both timings), not counted.
      for (let i = 0; i < WARMUP_REQUESTS; i++) {
        await measure(
          client,
          p,
          i % 2 ? "new" : "follow-up",
          i % 2 ? newId("rt-new") : followUp(),
          i % 4 < 2 ? 0 : delay,
        );
      }
      // +0 and +delay alternate (order swapped every round), so drifting background load hits both alike.
      const samples: Sample[] = [];
      const foreign: number[] = [];
      for (let i = 0; i < n; i++) {
        await waitForQuiet(ours);
        const meter = foreignCpuMeter(ours, S.CPUS);
        for (const d of i % 2 ? [delay, 0] : [0, delay]) {
          samples.push(await measure(client, p, "new", newId("rt-new"), d));
          samples.push(await measure(client, p, "follow-up", followUp(), d));
        }
        foreign.push(meter());
      }
      const result = summarise(samples, {
        requests: n,
        delayMs: delay,
        warmup: WARMUP_REQUESTS,
        settleQuietMs: SETTLE_QUIET_MS,
        maxConcurrentStreams: Number(MAX_CONCURRENT_STREAMS),
        foreignCpu: foreign.reduce((a, b) => a + b, 0) / foreign.length,
      });
      for (const c of result.cases) {
        log(
          `${c.kind}: ttft p50 ${c.ttft.plain.p50.toFixed(1)} → ${c.ttft.delayed.p50.toFixed(1)} ms, ` +
            `${c.roundTrips.toFixed(2)} round trips before the first token, ${c.calls.plain.toFixed(2)} store calls`,
        );
      }
      return result;
    });
    return await measured.finally(() => p.close());
  } finally {
    await redis.stop();
  }
}

export const roundTripsScenario: Scenario<RoundTripsResult> = {
  name: "round-trips",
  title: "store round trips before the first token",
  about: `\`round-trips\` — a signed-in user (the app's dev sign-in), credits on, concurrency cap on (2), limits at 10⁹
  (never refused); \`next start\` reaches the REST endpoint (own process, real redis-server) through a proxy that holds
  every store call (single command, \`/pipeline\`, \`/multi-exec\` alike) for +0 or +40 ms. Time to the first
  \`text-delta\` event of the chat stream, as the client reads it, for the first message of a new conversation and a
  follow-up in an existing one (history load); round trips before the first token = (p50 at +40 − p50 at +0) / the
  delay actually added. Before every round of four timed requests the benchmark waits for a quiet machine (as
  \`throughput\` does); every request starts once the previous reply's background persistence is over, and all its
  store HTTP calls are counted (a \`/pipeline\` counts once). Targets of the one-round-trip admission step: ≤ 1 round
  trip before the first token in both cases, ≤ 3 store calls per new-conversation request.`,
  needsRedis: true,
  run: roundTrips,
  render: renderRoundTrips,
};
