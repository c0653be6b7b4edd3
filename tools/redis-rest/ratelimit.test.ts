// Integration tests: the real @upstash/ratelimit (allow-key-locking Lua scripts) through the endpoint.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { beforeAll, describe, expect, it } from "vitest";
import { setUpRedisFixture } from "@/test/support/redis-fixture";

const fx = setUpRedisFixture();
let redis: Redis;
beforeAll(() => {
  redis = new Redis({ url: fx.stack.restUrl, token: fx.stack.restToken, retry: false });
});

const N = 5;
// Windows of an hour so a test never straddles a window boundary in practice.
const limiters = {
  fixedWindow: () => Ratelimit.fixedWindow(N, "1 h"),
  slidingWindow: () => Ratelimit.slidingWindow(N, "1 h"),
  tokenBucket: () => Ratelimit.tokenBucket(N, "1 h", N),
} as const;
type Algo = keyof typeof limiters;
const algos = Object.keys(limiters) as Algo[];

function make(algo: Algo, ephemeralCache: false | undefined = false): Ratelimit {
  return new Ratelimit({ redis, limiter: limiters[algo](), prefix: `rl:${algo}`, ephemeralCache });
}

/**
 * Records the top-level commands Redis receives while `work` runs (MONITOR on a separate
 * connection; commands issued from inside Lua scripts are left out), lower-cased.
 */
async function topLevelCommands(work: () => Promise<unknown>): Promise<string[]> {
  const monitor = fx.direct.duplicate();
  await monitor.connect();
  const seen: string[] = [];
  await monitor.monitor((line: string) => {
    // e.g. 1700000000.123456 [0 127.0.0.1:5555] "evalsha" "b2ef..." "1" ...
    const m = /^\S+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
    if (m && m[1] !== "lua") seen.push((m[2] as string).toLowerCase());
  });
  await fx.direct.ping(); // MONITOR is active once a later command shows up
  await new Promise((r) => setTimeout(r, 50));
  seen.length = 0;
  await work();
  await fx.direct.ping("end");
  const deadline = Date.now() + 2000;
  while (!seen.includes("ping") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  monitor.destroy();
  return seen.slice(0, seen.indexOf("ping"));
}

describe.each(algos)("%s", (algo) => {
  it(`admits exactly ${N} of ${N + 3} sequential calls`, async () => {
    for (const cache of [false, undefined] as const) {
      await fx.stack.flushAll();
      const rl = make(algo, cache);
      const results: boolean[] = [];
      for (let i = 0; i < N + 3; i++) results.push((await rl.limit("user-1")).success);
      expect(results.filter(Boolean)).toHaveLength(N);
      expect(results.slice(0, N).every(Boolean)).toBe(true);
      // Another identifier has its own budget.
      expect((await rl.limit("user-2")).success).toBe(true);
    }
  });

  it("costs exactly one EVALSHA per limit() once the script is cached", async () => {
    const rl = make(algo);
    await fx.direct.scriptFlush();
    // First call: EVALSHA -> NOSCRIPT, then the client's EVAL fallback loads the (rewritten) script.
    expect(await topLevelCommands(() => rl.limit("warm"))).toEqual(["evalsha", "eval"]);
    await fx.direct.configResetStat();
    const cmds = await topLevelCommands(async () => {
      for (let i = 0; i < 10; i++) await rl.limit(`id-${i % 3}`);
    });
    expect(cmds).toEqual(Array(10).fill("evalsha"));
    // ...and every one of them hit the script cache (no NOSCRIPT failures).
    expect(await fx.direct.info("commandstats")).toMatch(
      /cmdstat_evalsha:calls=10,.*rejected_calls=0,failed_calls=0/,
    );
  });

  it("survives Redis losing its script cache (NOSCRIPT -> EVAL fallback)", async () => {
    const rl = make(algo);
    expect((await rl.limit("a")).success).toBe(true);
    await fx.direct.scriptFlush();
    const r = await rl.limit("a");
    expect(r.success).toBe(true);
    expect(r.remaining).toBe(N - 2);
  });

  it("refunds with a negative rate", async () => {
    const rl = make(algo);
    for (let i = 0; i < N - 1; i++) expect((await rl.limit("r")).success).toBe(true);
    expect((await rl.limit("r")).remaining).toBe(0);
    await rl.limit("r", { rate: -1 });
    const again = await rl.limit("r");
    expect(again.success).toBe(true);
    expect(again.remaining).toBe(0);
    expect((await rl.limit("r")).success).toBe(false);
  });
});
