// The reply buffer on both stores (memory, and redis-server through the Upstash REST endpoint): append and
// follow with a cursor, Stop heard by the writer, owner-only reads, expiry; and the recorder's batching.
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RedisStack, startRedisStack } from "@/test/support/redis";
import { conversationKeys } from "../store/keys";
import { MemoryReplyStreamStore } from "./memory";
import { followReply } from "./reader";
import { RedisReplyStreamStore } from "./redis";
import { shouldResume } from "./resume";
import {
  FINISHED_TTL_MS,
  FLUSH_EVERY_MS,
  LIVE_TTL_MS,
  type LiveReplyHead,
  type ReplyChunk,
  type ReplyStreamStore,
  replyStreamKeys,
} from "./types";
import { recordReply } from "./writer";

const OWNER = "user:alice";
const CONVERSATION = "conv-1";
const head = (streamId: string): LiveReplyHead => ({
  streamId,
  replyId: `r-${streamId}`,
  userMessageId: "u-1",
});
const ref = (streamId: string) => ({ owner: OWNER, conversationId: CONVERSATION, streamId });
const delta = (text: string): ReplyChunk => ({ type: "text-delta", id: "t", delta: text });

async function readAll(stream: ReadableStream<ReplyChunk>): Promise<ReplyChunk[]> {
  const chunks: ReplyChunk[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

interface Backend {
  store: () => ReplyStreamStore;
  /** Milliseconds the store keeps the buffer, or null where it can't be read (memory). */
  bufferTtl: (streamId: string) => Promise<number | null>;
}

function defineContract(name: string, backend: Backend) {
  describe(`reply buffer (${name})`, () => {
    it("appends in order, reads from a cursor, and marks the reply done with the finished TTL", async () => {
      const store = backend.store();
      expect(await store.latest(OWNER, CONVERSATION)).toEqual({ owned: true, head: null });
      expect(
        await store.append(ref("s1"), { chunks: [{ type: "start", messageId: "r-s1" }] }, head("s1")),
      ).toBe(false);
      expect(await store.append(ref("s1"), { chunks: [delta("Hello ")] })).toBe(false);
      expect(await store.latest(OWNER, CONVERSATION)).toEqual({
        owned: true,
        head: { ...head("s1"), done: false },
      });
      expect(await store.read("s1", 1)).toEqual([{ chunks: [delta("Hello ")] }]);
      expect(await store.read("s1", 2)).toEqual([]);
      const live = await backend.bufferTtl("s1");
      if (live !== null) expect(live).toBeLessThanOrEqual(LIVE_TTL_MS);
      await store.append(ref("s1"), { chunks: [delta("world")], end: true });
      expect((await store.latest(OWNER, CONVERSATION)).head?.done).toBe(true);
      expect(await store.read("s1", 0)).toHaveLength(3);
      const finished = await backend.bufferTtl("s1");
      if (finished !== null) expect(finished).toBeGreaterThan(LIVE_TTL_MS);
      if (finished !== null) expect(finished).toBeLessThanOrEqual(FINISHED_TTL_MS);
      expect(await store.read("gone", 0)).toBeNull();
    });

    it("hears Stop asked for by the owner, only for the running reply", async () => {
      const store = backend.store();
      expect(await store.requestStop(OWNER, CONVERSATION)).toBe("none");
      await store.append(ref("s1"), { chunks: [] }, head("s1"));
      expect(await store.requestStop("user:mallory", CONVERSATION)).toBe("not_found");
      expect(await store.stopRequested(ref("s1"))).toBe(false);
      expect(await store.requestStop(OWNER, CONVERSATION)).toBe("stopping");
      expect(await store.stopRequested(ref("s1"))).toBe(true);
      expect(await store.append(ref("s1"), { chunks: [], end: true })).toBe(true);
      expect(await store.requestStop(OWNER, CONVERSATION)).toBe("none");
      // A newer reply in the conversation starts unstopped.
      expect(await store.append(ref("s2"), { chunks: [] }, head("s2"))).toBe(false);
      expect(await store.stopRequested(ref("s2"))).toBe(false);
    });

    it("shows nothing of a conversation to anyone but its owner", async () => {
      const store = backend.store();
      await store.append(ref("s1"), { chunks: [] }, head("s1"));
      expect(await store.latest("user:mallory", CONVERSATION)).toEqual({ owned: false, head: null });
    });

    it("follows a recorded reply live: every chunk once, in order, batched, ending with it", async () => {
      const store = backend.store();
      let stops = 0;
      const recorder = recordReply({
        store,
        ref: ref("s1"),
        head: head("s1"),
        lead: [{ type: "data-turn", data: { at: 0 }, transient: true }],
        onStop: () => stops++,
      });
      const source = new TransformStream<ReplyChunk, ReplyChunk>();
      const passed = readAll(source.readable.pipeThrough(recorder.stream));
      const writer = source.writable.getWriter();
      await writer.write({ type: "start", messageId: "r-s1" });
      await writer.write({ type: "text-start", id: "t" });
      const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
      // A reader joins mid-reply, once the buffer exists.
      await expect.poll(() => store.latest(OWNER, CONVERSATION).then((l) => l.head?.streamId)).toBe("s1");
      const followed = readAll(followReply(store, "s1"));
      const started = Date.now();
      for (const word of words) {
        await writer.write(delta(word));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await writer.write({ type: "text-end", id: "t" });
      await writer.write({ type: "finish" });
      await writer.close();
      expect(await passed).toHaveLength(words.length + 4);
      await recorder.written;
      const elapsed = Date.now() - started;
      const chunks = await followed;
      expect(chunks[0]).toMatchObject({ type: "data-turn" });
      const text = chunks.flatMap((c) => (c.type === "text-delta" ? [c.delta] : [])).join("");
      expect(text).toBe(words.join(""));
      expect(chunks.at(-1)).toEqual({ type: "finish" });
      const entries = (await store.read("s1", 0)) ?? [];
      // Batched: at most one append per FLUSH_EVERY_MS (plus the first and the last).
      expect(entries.length).toBeLessThanOrEqual(Math.ceil(elapsed / FLUSH_EVERY_MS) + 2);
      expect(entries.at(-1)?.end).toBe(true);
      expect(stops).toBe(0);
    });

    it("stops the writer's model when Stop is asked for, and marks the reply stopped for every tab", async () => {
      const store = backend.store();
      const stopped = new AbortController();
      const recorder = recordReply({
        store,
        ref: ref("s1"),
        head: head("s1"),
        lead: [],
        onStop: () => stopped.abort(),
      });
      const source = new TransformStream<ReplyChunk, ReplyChunk>();
      const passed = readAll(source.readable.pipeThrough(recorder.stream));
      const writer = source.writable.getWriter();
      await writer.write({ type: "start", messageId: "r-s1" });
      await expect.poll(() => store.latest(OWNER, CONVERSATION).then((l) => l.head?.streamId)).toBe("s1");
      expect(await store.requestStop(OWNER, CONVERSATION)).toBe("stopping");
      // No new chunks meanwhile: the writer's own stop check hears it.
      await new Promise<void>((resolve) => stopped.signal.addEventListener("abort", () => resolve()));
      await writer.write({ type: "abort" });
      await writer.close();
      expect((await passed).map((c) => c.type)).toEqual(["start", "message-metadata", "abort"]);
      await recorder.written;
      const followed = await readAll(followReply(store, "s1"));
      expect(followed).toContainEqual({ type: "message-metadata", messageMetadata: { incomplete: true } });
    });
  });
}

{
  let store = new MemoryReplyStreamStore((owner, id) => owner === OWNER && id === CONVERSATION);
  beforeEach(() => {
    store = new MemoryReplyStreamStore((owner, id) => owner === OWNER && id === CONVERSATION);
  });
  defineContract("memory", { store: () => store, bufferTtl: async () => null });

  it("memory: an expired buffer is gone for readers, a finished one outlives a live one", async () => {
    let now = 1_000;
    const clock = new MemoryReplyStreamStore(
      () => true,
      () => now,
    );
    await clock.append(ref("s1"), { chunks: [] }, head("s1"));
    now += LIVE_TTL_MS;
    expect(await clock.read("s1", 0)).toBeNull();
    expect((await clock.latest(OWNER, CONVERSATION)).head).toBeNull();
    await clock.append(ref("s2"), { chunks: [], end: true }, head("s2"));
    now += FINISHED_TTL_MS - 1;
    expect(await clock.read("s2", 0)).toHaveLength(1);
  });
}

{
  let stack: RedisStack;
  let redis: Redis;
  beforeAll(async () => {
    stack = await startRedisStack();
    redis = new Redis({ url: stack.restUrl, token: stack.restToken, enableAutoPipelining: true });
  });
  afterAll(() => stack?.stop());
  beforeEach(async () => {
    await stack.flushAll();
    await redis.set(conversationKeys.owner(CONVERSATION), OWNER);
  });
  defineContract("redis", {
    store: () => new RedisReplyStreamStore(redis),
    bufferTtl: (streamId) => redis.pttl(replyStreamKeys.chunks(streamId)),
  });
}

describe("shouldResume", () => {
  const live = { ...head("s1"), done: false };
  const done = { ...head("s1"), done: true };
  it("streams a running reply to any tab but the one showing it", () => {
    expect(shouldResume(live, {})).toBe(true);
    expect(shouldResume(live, { last: "u-0", seen: "s1" })).toBe(true);
    expect(shouldResume(live, { last: "r-s1" })).toBe(false);
  });
  it("replays a finished reply only to a tab that loaded the conversation before it was stored", () => {
    expect(shouldResume(done, { last: "u-0" })).toBe(true);
    expect(shouldResume(done, { last: "u-1" })).toBe(false);
    expect(shouldResume(done, { last: "r-s1" })).toBe(false);
    expect(shouldResume(done, { last: "u-0", seen: "s1" })).toBe(false);
  });
});
