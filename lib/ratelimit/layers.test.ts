// Which identifiers a request counts against, and window keys that @upstash/ratelimit itself can read.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisStack, startRedisStack } from "@/test/support/redis";
import { RedisAdmissionBackend } from "../admission/redis";
import { parseConfig } from "../config";
import { bucketOf, chatLayers, checksFor, layerPrefix, windowEnd, windowKey } from "./layers";

const layers = chatLayers(parseConfig({}).rateLimit);
const anon = { verified: false, limitKey: "ip:1.2.3.4", clientIp: "1.2.3.4" };
const user = { verified: true, limitKey: "user:u1", clientIp: "1.2.3.4" };

describe("checksFor", () => {
  it("keys anonymous callers by IP and verified users by id, with a separate per-IP bucket for each kind", () => {
    expect(checksFor(layers, anon).map((c) => [c.layer.name, c.identifier])).toEqual([
      ["min", "ip:1.2.3.4"],
      ["hour", "ip:1.2.3.4"],
      ["ip-min", "anon:1.2.3.4"],
    ]);
    expect(checksFor(layers, user).map((c) => [c.layer.name, c.identifier])).toEqual([
      ["min", "user:u1"],
      ["hour", "user:u1"],
      ["ip-min", "verified:1.2.3.4"],
    ]);
  });

  it("puts unparseable addresses in one shared bucket, never none", () => {
    const unknown = { verified: false, limitKey: "ip:unknown", clientIp: "unknown" };
    expect(checksFor(layers, unknown).map((c) => c.identifier)).toEqual([
      "ip:unknown",
      "ip:unknown",
      "anon:unknown",
    ]);
  });
});

describe("windows", () => {
  it("are aligned to the epoch and end exactly at the next multiple of their length", () => {
    const minute = layers.userMinute;
    expect(bucketOf(minute, 119_999)).toBe(1);
    expect(windowEnd(minute, 119_999)).toBe(120_000);
    expect(windowEnd(minute, 120_000)).toBe(180_000);
    expect(windowKey({ layer: minute, identifier: "user:u1" }, 120_000)).toBe("rl:chat:min:user:u1:2");
  });

  describe("on Redis", () => {
    let stack: RedisStack;
    beforeAll(async () => {
      stack = await startRedisStack();
    });
    afterAll(() => stack?.stop());

    it("are counted where @upstash/ratelimit's fixedWindow reads them (getRemaining, resetUsedTokens)", async () => {
      const redis = new Redis({ url: stack.restUrl, token: stack.restToken });
      const backend = new RedisAdmissionBackend(redis);
      const now = Date.now();
      const checks = checksFor(layers, user);
      for (let i = 0; i < 2; i++) {
        await backend.admit({
          now,
          limitKey: user.limitKey,
          checks,
          plans: { free: { perMinute: 5, perHour: 60, concurrentStreams: 0, dailyTokens: 0 } },
          defaultPlan: "free",
          readsStoredPlan: false,
          owner: user.limitKey,
          conversationId: `c-${i}`,
          intent: "send",
          messageId: `m-${i}`,
          blockTargets: [user.limitKey],
          abuse: null,
          messageBytes: 10,
          leaseId: `l-${i}`,
          maxOutputTokens: 100,
        });
      }
      const library = new Ratelimit({
        redis,
        limiter: Ratelimit.fixedWindow(5, "60 s"),
        prefix: layerPrefix(layers.userMinute),
        ephemeralCache: false,
      });
      const read = await library.getRemaining(user.limitKey);
      expect(read).toMatchObject({ remaining: 3, limit: 5, reset: windowEnd(layers.userMinute, Date.now()) });
      await library.resetUsedTokens(user.limitKey);
      expect((await library.getRemaining(user.limitKey)).remaining).toBe(5);
    });
  });
});
