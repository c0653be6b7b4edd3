// The benchmark's store proxy against the real endpoint and client: every call type is counted and held.
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setUpRedisFixture } from "@/test/support/redis-fixture";
import { type StoreProxy, settle, shapes, startStoreProxy } from "./store-proxy";

const fx = setUpRedisFixture();
let proxy: StoreProxy;
const client = (enableAutoPipelining: boolean) =>
  new Redis({ url: proxy.url, token: fx.stack.restToken, retry: false, enableAutoPipelining });

beforeAll(async () => {
  proxy = await startStoreProxy(fx.stack.restUrl);
});
afterAll(() => proxy?.close());
beforeEach(() => {
  proxy.setDelay(0);
  proxy.calls.length = 0;
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = performance.now();
  const result = await work();
  return { result, ms: performance.now() - t0 };
}

describe("store proxy", () => {
  it("records one call per HTTP request: a command, a pipeline, a transaction, commands auto-pipelined together", async () => {
    await client(false).set("rl:chat:a", "1");
    const p = client(false).pipeline();
    p.incr("rl:chat:b");
    p.get("other");
    await p.exec();
    const tx = client(false).multi();
    tx.set("x", "1");
    tx.expire("x", 10);
    await tx.exec();
    const auto = client(true);
    // Reads issued together share one /pipeline (the client batches reads and writes separately).
    await Promise.all([auto.get("rl:chat:a"), auto.get("x"), auto.get("n")]);

    expect(shapes(proxy.calls)).toEqual({
      "/ [SET]": 1,
      "/pipeline [INCR, GET]": 1,
      "/multi-exec [SET, EXPIRE]": 1,
      "/pipeline [GET, GET, GET]": 1,
    });
    expect(proxy.calls.map((c) => c.limiterCommands)).toEqual([1, 1, 0, 1]);
  });

  it("holds every kind of call for the delay set, and answers correctly after it", async () => {
    proxy.setDelay(60);
    const single = await timed(() => client(false).set("k", "v"));
    const pipeline = await timed(() => client(false).pipeline().get("k").incr("n").exec());
    const transaction = await timed(() => client(false).multi().incr("n").get("k").exec());
    const auto = await timed(() => Promise.all([client(true).get("k"), client(true).get("missing")]));

    expect(single.result).toBe("OK");
    expect(pipeline.result).toEqual(["v", 1]);
    expect(transaction.result).toEqual([2, "v"]);
    expect(auto.result).toEqual(["v", null]);
    for (const { ms } of [single, pipeline, transaction, auto]) expect(ms).toBeGreaterThanOrEqual(59);
    expect(proxy.calls).toHaveLength(5); // two auto-pipelining clients: one /pipeline each
    for (const call of proxy.calls) expect(call.heldMs).toBeGreaterThanOrEqual(59);
  });

  it("settle waits for calls still in flight and for the app to stop calling", async () => {
    // Long enough that the 20 ms pause, however stretched by a loaded machine, ends while the call is held.
    proxy.setDelay(500);
    const sent = performance.now();
    const pending = client(false).set("late", "1");
    await new Promise((r) => setTimeout(r, 20));
    expect(proxy.inFlight()).toBe(1);
    expect(await settle(proxy, 100)).toBe(true);
    // Counted from the call, not from after the pause: 500 ms held + 100 ms quiet, less one of settle's
    // 25 ms polls (its quiet runs from the last poll that saw the call held) and its whole-millisecond clock.
    // Without waiting for the held call it would be back after ~120 ms.
    expect(performance.now() - sent).toBeGreaterThanOrEqual(570);
    expect(proxy.inFlight()).toBe(0);
    expect(await pending).toBe("OK");
  });
});
