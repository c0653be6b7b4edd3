// What a store failure leaves in the logs: the reason, never the command (it carries what people wrote).
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisStack, startRedisStack } from "@/test/support/redis";
import { storeErrorSummary } from "./store-health";

describe("storeErrorSummary", () => {
  let stack: RedisStack;
  beforeAll(async () => {
    stack = await startRedisStack();
  });
  afterAll(() => stack?.stop());

  it("keeps the store's reason and drops the command the Upstash client quotes", async () => {
    await stack.stopRedis();
    const redis = new Redis({ url: stack.restUrl, token: stack.restToken, retry: false });
    const error = await redis.rpush("messages", "my secret words").catch((e: unknown) => e);
    expect(String(error)).toContain("my secret words"); // what the raw error would have logged
    const summary = storeErrorSummary(error);
    expect(summary).not.toContain("my secret words");
    expect(summary).toMatch(/unavailable|offline/i);
  });
});
