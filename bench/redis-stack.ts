// Redis for the chat benchmark: redis-server + the project's REST endpoint in its own process, Redis-side
// command counters, and a counting pass-through in front of the endpoint that classifies every HTTP call.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import { startRedisServer } from "../test/support/redis";
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

/** One HTTP call the app made to the REST endpoint. */
export interface RestCall {
  path: string;
  /** Command names in the call (one for `/`, several for `/pipeline` and `/multi-exec`). */
  commands: string[];
  /** How many of them touch a rate-limit key (`rl:chat:*`). */
  limiterCommands: number;
}

export interface CountingProxy {
  url: string;
  calls: RestCall[];
  close(): Promise<void>;
}

const LIMITER_KEY_PREFIX = "rl:chat:";

function classify(path: string, body: string): RestCall {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = [];
  }
  const list: unknown[][] =
    path === "/"
      ? [Array.isArray(parsed) ? parsed : []]
      : Array.isArray(parsed)
        ? (parsed as unknown[][])
        : [];
  const commands = list.map((cmd) => String(cmd[0] ?? "?").toUpperCase());
  const limiterCommands = list.filter((cmd) =>
    cmd.some((arg) => typeof arg === "string" && arg.startsWith(LIMITER_KEY_PREFIX)),
  ).length;
  return { path, commands, limiterCommands };
}

/** A pass-through HTTP server in front of `target` that records every call's commands (used only for counting). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const targetUrl = new URL(target);
  const calls: RestCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      calls.push(classify(path, body.toString("utf8")));
      const upstream = httpRequest(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: targetUrl.host, "content-length": String(body.length) },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => {
        res.writeHead(502).end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
