// Integration tests: pipelines, MULTI/EXEC transactions (atomicity) and auto-pipelining through the endpoint.
import { Redis } from "@upstash/redis";
import { beforeAll, describe, expect, it } from "vitest";
import { setUpRedisFixture } from "@/test/support/redis-fixture";

const fx = setUpRedisFixture();

const post = (path: string, body: unknown) => fx.post(path, body);

describe("pipeline and multi-exec", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis({ url: fx.stack.restUrl, token: fx.stack.restToken, retry: false });
  });

  it("pipelines return per-command results and errors", async () => {
    const p = redis.pipeline().set("a", "1").incr("a").hset("a", { f: 1 }).get("a");
    const res = await p.exec({ keepErrors: true });
    expect(res.map((r) => r.result)).toEqual(["OK", 2, undefined, 2]);
    expect(res[2]?.error).toMatch(/WRONGTYPE/);
    await expect(redis.pipeline().set("b", "x").incr("b").exec()).rejects.toThrow(
      /Command 2 \[ incr \] failed/,
    );
  });

  it("multi-exec returns results; runtime errors do not roll back (Redis semantics)", async () => {
    expect(await redis.multi().set("m", "1").incr("m").get("m").exec()).toEqual(["OK", 2, 2]);
    const res = await redis.multi().set("a", "1").hget("a", "f").set("b", "2").exec({ keepErrors: true });
    expect(res[1]?.error).toMatch(/WRONGTYPE/);
    expect(await fx.direct.mGet(["a", "b"])).toEqual(["1", "2"]);
  });

  it("a command rejected while queueing aborts the whole transaction", async () => {
    const res = await post("/multi-exec", [["SET", "q1", "1"], ["NOSUCHCMD"], ["SET", "q2", "2"]]);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^EXECABORT/);
    expect(await fx.direct.exists(["q1", "q2"])).toBe(0);
  });

  /** Counts distinct intermediate values of `key` seen by a direct Redis client while `work` runs. */
  async function observe(key: string, n: number, work: () => Promise<unknown>): Promise<Set<string | null>> {
    const seen = new Set<string | null>();
    let done = false;
    const watcher = (async () => {
      while (!done) seen.add((await fx.direct.get(key)) as string | null);
    })();
    await work();
    done = true;
    await watcher;
    seen.delete(null);
    seen.delete(String(n));
    return seen;
  }

  it("multi-exec is atomic for a concurrent observer (a plain pipeline is not)", async () => {
    const n = 20_000;
    const cmds = Array.from({ length: n }, () => ["INCR", "atomic"]);
    const inTx = await observe("atomic", n, async () =>
      expect((await post("/multi-exec", cmds)).status).toBe(200),
    );
    expect([...inTx]).toEqual([]);
    expect(await fx.direct.get("atomic")).toBe(String(n));
    // Control: the same observer does see half-applied states of a non-atomic pipeline.
    await fx.direct.del("atomic");
    const inPipeline = await observe("atomic", n, () => post("/pipeline", cmds));
    expect(inPipeline.size).toBeGreaterThan(0);
  });

  it("auto-pipelining batches concurrent commands into /pipeline requests", async () => {
    const auto = new Redis({ url: fx.stack.restUrl, token: fx.stack.restToken, enableAutoPipelining: true });
    const [a, b, c, d, e] = await Promise.all([
      auto.set("ap", "1"),
      auto.incr("ap"),
      auto.hset("aph", { f: "😀" }),
      auto.hget("aph", "f"),
      auto.get("ap"),
    ]);
    expect([a, b, c, d, e]).toEqual(["OK", 2, 1, "😀", 2]);
    // The client keeps one batch for reads and one for writes: 5 commands, 2 HTTP requests.
    expect((auto as unknown as { pipelineCounter: number }).pipelineCounter).toBe(2);
  });
});
