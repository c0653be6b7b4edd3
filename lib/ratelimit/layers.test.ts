// Which identifiers a request counts against, and the sliding logs they are counted in on Redis.
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisStack, startRedisStack } from "@/test/support/redis";
import { RedisAdmissionBackend } from "../admission/redis";
import { parseConfig } from "../config";
import { chatLayers, checksFor, logEntry, logKey } from "./layers";

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

describe("sliding logs on Redis", () => {
  let stack: RedisStack;
  beforeAll(async () => {
    stack = await startRedisStack();
  });
  afterAll(() => stack?.stop());

  it("hold one entry per admitted message (its id), at most the limit, and expire a window after the newest", async () => {
    const redis = new Redis({ url: stack.restUrl, token: stack.restToken });
    const backend = new RedisAdmissionBackend(redis);
    const now = Date.now();
    const checks = checksFor(layers, user);
    const send = (i: number) =>
      backend.admit({
        now: now + i,
        limitKey: user.limitKey,
        checks,
        plans: { free: { perMinute: 5, perHour: 60, concurrentStreams: 0, dailyTokens: 0 } },
        defaultPlan: "free",
        readsStoredPlan: false,
        models: [{ key: "default", plans: null }],
        model: null,
        owner: user.limitKey,
        conversationId: `c-${i}`,
        // The same message id in two conversations is still two messages.
        messageId: i < 2 ? "same-id" : `m-${i}`,
        intent: "send",
        blockTargets: [user.limitKey],
        abuse: null,
        messageBytes: 10,
        leaseId: `l-${i}`,
        maxOutputTokens: 100,
      });
    const results = [];
    for (let i = 0; i < 7; i++) results.push((await send(i)).admitted);
    expect(results).toEqual([true, true, true, true, true, false, false]);
    const minute = logKey({ layer: layers.userMinute, identifier: user.limitKey });
    expect(minute).toBe("rl:chat:min:user:u1");
    const entries = await redis.zrange<string[]>(minute, 0, -1, { withScores: true });
    expect(entries).toEqual([
      logEntry("same-id", "l-0"),
      now,
      logEntry("same-id", "l-1"),
      now + 1,
      logEntry("m-2", "l-2"),
      now + 2,
      logEntry("m-3", "l-3"),
      now + 3,
      logEntry("m-4", "l-4"),
      now + 4,
    ]);
    const ttl = await redis.pttl(minute);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await redis.pttl(logKey({ layer: layers.userHour, identifier: user.limitKey }))).toBeGreaterThan(
      3_500_000,
    );
  });
});
