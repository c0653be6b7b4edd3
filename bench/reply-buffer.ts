// `npx tsx bench/reply-buffer.ts`: store calls of one reply's buffer and of a tab following it, through the
// Upstash REST client → the project's REST endpoint → redis-server; memory and TTL of the finished buffer.
import { Redis } from "@upstash/redis";
import { createClient } from "redis";
import { followReply } from "../lib/reply-stream/reader";
import { RedisReplyStreamStore } from "../lib/reply-stream/redis";
import { type ReplyChunk, replyStreamKeys } from "../lib/reply-stream/types";
import { recordReply } from "../lib/reply-stream/writer";
import { conversationKeys } from "../lib/store/keys";
import { startRedisStack } from "../test/support/redis";
import { startStoreProxy } from "./store-proxy";

const TOKENS = Number(process.env.TOKENS ?? 400);
const TOKEN_MS = Number(process.env.TOKEN_MS ?? 25);
const WORD = "word ";

async function main() {
  const stack = await startRedisStack();
  const proxy = await startStoreProxy(stack.restUrl);
  const redis = new Redis({ url: proxy.url, token: stack.restToken, enableAutoPipelining: true });
  const store = new RedisReplyStreamStore(redis);
  const owner = "user:bench";
  const conversationId = "bench-conv";
  await redis.set(conversationKeys.owner(conversationId), owner);
  const ref = { owner, conversationId, streamId: "bench-stream" };
  const recorder = recordReply({
    store,
    ref,
    head: { streamId: ref.streamId, replyId: "r", userMessageId: "u" },
    lead: [{ type: "data-turn", data: { at: 0 }, transient: true }],
    onStop: () => {},
  });
  const source = new TransformStream<ReplyChunk, ReplyChunk>();
  const drained = source.readable.pipeThrough(recorder.stream).pipeTo(new WritableStream());
  const writer = source.writable.getWriter();
  const startCalls = proxy.calls.length;
  const t0 = performance.now();
  await writer.write({ type: "start", messageId: "r" });
  await writer.write({ type: "text-start", id: "t" });
  // One follower joins once the buffer exists; its calls are told apart by their script (LRANGE inside EVALSHA).
  let follower: Promise<number> | undefined;
  for (let i = 0; i < TOKENS; i++) {
    await writer.write({ type: "text-delta", id: "t", delta: WORD });
    if (i === 10) {
      const readerStore = new RedisReplyStreamStore(new Redis({ url: proxy.url, token: stack.restToken }));
      const counting = {
        ...readerStore,
        read: (...a: Parameters<typeof readerStore.read>) => {
          reads++;
          return readerStore.read(...a);
        },
      };
      follower = (async () => {
        const reader = followReply(counting as typeof readerStore, ref.streamId).getReader();
        let n = 0;
        while (!(await reader.read()).done) n++;
        return n;
      })();
    }
    await new Promise((r) => setTimeout(r, TOKEN_MS));
  }
  await writer.write({ type: "text-end", id: "t" });
  await writer.write({ type: "finish" });
  await writer.close();
  await drained;
  await recorder.written;
  const streamingS = (performance.now() - t0) / 1000;
  await follower;
  const writerCalls = proxy.calls.slice(startCalls).filter((c) => c.at >= 0);
  const direct = createClient({ url: stack.redisUrl });
  await direct.connect();
  const chunksKey = replyStreamKeys.chunks(ref.streamId);
  const latestKey = replyStreamKeys.latest(owner, conversationId);
  const bytes =
    Number(await direct.sendCommand(["MEMORY", "USAGE", chunksKey])) +
    Number(await direct.sendCommand(["MEMORY", "USAGE", latestKey]));
  const entries = await direct.lLen(chunksKey);
  const ttl = await direct.pTTL(chunksKey);
  const replyChars = TOKENS * WORD.length;
  // Per-second maximum of all store calls (writer + one follower).
  const origin = writerCalls[0]?.at ?? 0;
  const perSecond = new Map<number, number>();
  for (const c of writerCalls)
    perSecond.set(
      Math.floor((c.at - origin) / 1000),
      (perSecond.get(Math.floor((c.at - origin) / 1000)) ?? 0) + 1,
    );
  const total = writerCalls.length;
  console.log(
    JSON.stringify(
      {
        tokens: TOKENS,
        tokenMs: TOKEN_MS,
        streamingS: +streamingS.toFixed(1),
        httpCallsTotal: total,
        followerReads: reads,
        writerCalls: total - reads,
        writerCallsPerS: +((total - reads) / streamingS).toFixed(2),
        followerReadsPerS: +(reads / streamingS).toFixed(2),
        maxCallsInOneSecond: Math.max(...perSecond.values()),
        finishedBufferEntries: entries,
        finishedBufferBytes: bytes,
        replyChars,
        finishedTtlMs: ttl,
      },
      null,
      2,
    ),
  );
  await direct.quit();
  await proxy.close();
  await stack.stop();
}
let reads = 0;
void main();
