// The admission step when Redis fails: local limits seeded from what Redis said, and nothing left behind.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as chatPost } from "@/app/api/chat/message/route";
import {
  chatBody,
  configureApp,
  newId,
  requestFor,
  streamedText,
  userKeyOf,
  userToken,
} from "@/test/support/app";
import { type RedisStack, startRedisStack } from "@/test/support/redis";
import { logKey } from "../ratelimit/layers";
import { reportStoreFailure, reportStoreSuccess } from "../resilience/store-health";
import { services } from "../services";
import { admissionKeys } from "./budget";

describe("admission while Redis fails", () => {
  let stack: RedisStack;
  beforeAll(async () => {
    stack = await startRedisStack();
  });
  afterAll(() => stack?.stop());
  beforeEach(async () => {
    await stack.startRedis(); // a no-op when it is running
    // The REST endpoint reconnects to a restarted redis-server by itself, within a moment.
    await expect
      .poll(
        () =>
          stack.flushAll().then(
            () => true,
            () => false,
          ),
        { timeout: 5_000 },
      )
      .toBe(true);
    configureApp({
      UPSTASH_REDIS_REST_URL: stack.restUrl,
      UPSTASH_REDIS_REST_TOKEN: stack.restToken,
      RATE_LIMIT_TIMEOUT_MS: "200",
    });
    reportStoreSuccess();
  });

  const send = async (caller: { bearer: string }) => {
    const response = await chatPost(
      requestFor("/api/chat/message", caller, { body: chatBody(newId(), "hi") }),
    );
    if (response.ok) await streamedText(response);
    return response.status;
  };

  it("continues from what Redis counted: an identity gets its limit once, not once more per instance", async () => {
    const caller = { bearer: await userToken(`seeded-${newId()}`) };
    for (let i = 0; i < 3; i++) expect(await send(caller)).toBe(200);
    await stack.stopRedis();
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await send(caller));
    expect(during).toEqual([200, 200, 429, 429, 429]);
  });

  it("in fail-closed mode answers 503 instead of deciding locally", async () => {
    configureApp({
      UPSTASH_REDIS_REST_URL: stack.restUrl,
      UPSTASH_REDIS_REST_TOKEN: stack.restToken,
      RATE_LIMIT_TIMEOUT_MS: "200",
      RATE_LIMIT_FAIL_MODE: "closed",
    });
    await stack.stopRedis();
    expect(await send({ bearer: await userToken("closed") })).toBe(503);
  });

  it("decides locally with the store's answers still in flight counted: a flood gets the limit once", async () => {
    configureApp({
      UPSTASH_REDIS_REST_URL: stack.restUrl,
      UPSTASH_REDIS_REST_TOKEN: stack.restToken,
      RATE_LIMIT_TIMEOUT_MS: "3000", // the slowed answers below stay in time, even on a loaded machine
      CHAT_MAX_CONCURRENT_STREAMS: "0",
    });
    const caller = { bearer: await userToken(`flood-${newId()}`) };
    // Five sends whose store answers come late but in time (the store slow under a flood) ...
    const { primary } = services().admission;
    const admitNow = primary.admit.bind(primary);
    let started = 0;
    let answer!: () => void;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const slowed = vi.spyOn(primary, "admit").mockImplementation(async (request) => {
      started++;
      const result = await admitNow(request);
      await gate;
      return result;
    });
    try {
      const first = Array.from({ length: 5 }, () => send(caller));
      await expect.poll(() => started).toBe(5);
      // ... while another request of the flood has just timed out, so the next ones skip the store and decide
      // here. Counting only its own log (empty), this instance admitted five more: ten in the minute.
      reportStoreFailure(new Error("a deadline tripped"));
      const meanwhile = await Promise.all(Array.from({ length: 5 }, () => send(caller)));
      answer();
      expect([...(await Promise.all(first)), ...meanwhile]).toEqual([
        ...Array(5).fill(200),
        ...Array(5).fill(429),
      ]);
    } finally {
      answer();
      slowed.mockRestore();
    }
  });

  it("gives back what a late store answer took (its lease) once it arrives", async () => {
    configureApp({
      UPSTASH_REDIS_REST_URL: stack.restUrl,
      UPSTASH_REDIS_REST_TOKEN: stack.restToken,
      RATE_LIMIT_TIMEOUT_MS: "200",
      CHAT_MAX_CONCURRENT_STREAMS: "2",
    });
    const user = `late-${newId()}`;
    stack.pauseRedis();
    try {
      expect(await send({ bearer: await userToken(user) })).toBe(200);
    } finally {
      stack.resumeRedis();
    }
    const redis = services().redis;
    if (!redis) throw new Error("no redis");
    // The late admission lands when it lands (on a loaded machine its request may not even have left yet):
    // first see it counted in the logs (right: the message was answered), then its lease given back.
    const layer = services().admission.layers.userMinute;
    const log = logKey({ layer, identifier: userKeyOf(user) });
    await expect.poll(() => redis.zcard(log), { timeout: 5_000 }).toBe(1);
    const leases = admissionKeys.leases(userKeyOf(user));
    await expect.poll(() => redis.zcard(leases), { timeout: 5_000 }).toBe(0);
  });
});
