// Redis for the chat benchmark: redis-server + the project's REST endpoint in its own process, and Redis-side
// command counters (the pass-through that counts and delays HTTP calls is bench/store-proxy.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { startRedisServer } from "../test/support/redis";
import { stopOnInterrupt } from "./harness";
import { pidListeningOn } from "./procfs";

export interface BenchRedis {
  redisUrl: string;
  redisPid: number;
  /** The Upstash-compatible endpoint: pass as UPSTASH_REDIS_REST_URL / _TOKEN. */
  restUrl: string;
  restToken: string;
  restPid: number;
  /** `INFO commandstats` as command → calls. */
  commandCalls(): Promise<Record<string, number>>;
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The endpoint runs as a separate process (as `npm run redis-rest` does), not inside the benchmark: the
 * load generator shares the benchmark's event loop, and a production app reaches Upstash over the network.
 */
export async function startBenchRedis(root: string): Promise<BenchRedis> {
  const redis = await startRedisServer();
  const restToken = randomBytes(16).toString("hex");
  let rest: ChildProcess | undefined;
  let client: ReturnType<typeof createClient> | undefined;
  const stop = async () => {
    unregister();
    await client?.quit().catch(() => {});
    if (rest && rest.exitCode === null) {
      const child = rest;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await redis.stop();
  };
  const unregister = stopOnInterrupt(stop);
  try {
    rest = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "tools/redis-rest/cli.ts",
        "--redis-url",
        redis.url,
        "--port",
        "0",
        "--token",
        restToken,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    const child = rest;
    const restUrl = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`redis-rest did not start in 20 s:\n${out}`)), 20_000);
      const onData = (d: Buffer) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-rest exited with ${code}:\n${out}`));
      });
    });
    client = createClient({ url: redis.url });
    await client.connect();
    const c = client;
    return {
      redisUrl: redis.url,
      redisPid: pidListeningOn(redis.port),
      restUrl,
      restToken,
      restPid: pidListeningOn(Number(new URL(restUrl).port)),
      commandCalls: async () => parseCommandStats(await c.info("commandstats")),
      flushAll: async () => {
        await c.flushAll();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function parseCommandStats(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    calls[(m[1] as string).toUpperCase()] = Number(m[2]);
  return calls;
}

export function diffCalls(
  after: Record<string, number>,
  before: Record<string, number>,
): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const [cmd, n] of Object.entries(after)) {
    const d = n - (before[cmd] ?? 0);
    if (d > 0) diff[cmd] = d;
  }
  return diff;
}
