// Test helper: a real redis-server plus the project's Upstash-compatible REST endpoint, on free ports.
/**
 * Usage (vitest):
 *
 *   import { Redis } from "@upstash/redis";
 *   import { startRedisStack, type RedisStack } from "@/test/support/redis";
 *
 *   let stack: RedisStack;
 *   beforeAll(async () => { stack = await startRedisStack(); });
 *   afterAll(() => stack?.stop());
 *   const redis = () => new Redis({ url: stack.restUrl, token: stack.restToken });
 *
 * API:
 *   startRedisStack(opts?: RedisStackOptions): Promise<RedisStack>
 *     redis-server (`--save "" --appendonly no`, 127.0.0.1, free port) + REST endpoint in-process.
 *   startRestEndpoint(opts: { redisUrl: string; token?: string; port?: number }): Promise<RedisRestServer>
 *     Just the endpoint, against any Redis URL ({ url, port, token, close() }).
 *   startRedisServer(opts?: { port?: number }): Promise<RedisServerProcess>
 *     Just redis-server ({ url, port, running, stop(), start() }).
 *
 * If `redis-server` is not installed, these throw an Error that says how to install it.
 * Suites never skip silently.
 */
import { randomBytes } from "node:crypto";
import { type RedisServerProcess, startRedisServer } from "../../tools/redis-rest/redis-server";
import { type RedisRestServer, startRedisRestServer } from "../../tools/redis-rest/server";

export { REDIS_INSTALL_HINT } from "../../tools/redis-rest/redis-server";
export type { RedisRestServer, RedisServerProcess };

export interface RedisStackOptions {
  /** Bearer token for the endpoint. Default: random. */
  restToken?: string;
  /** Default: a free port. */
  restPort?: number;
  /** Default: a free port. */
  redisPort?: number;
}

export interface RedisStack {
  /** `redis://127.0.0.1:<redisPort>`, for direct node-redis access (assertions, INFO, ...). */
  redisUrl: string;
  redisPort: number;
  /** `http://127.0.0.1:<port>`: pass as UPSTASH_REDIS_REST_URL / `new Redis({ url })`. */
  restUrl: string;
  /** Pass as UPSTASH_REDIS_REST_TOKEN / `new Redis({ token })`. */
  restToken: string;
  /** Stops redis-server only; the endpoint keeps running and answers 503 until `startRedis()`. */
  stopRedis(): Promise<void>;
  /** Starts redis-server again on the same port (empty dataset); the endpoint reconnects by itself. */
  startRedis(): Promise<void>;
  /** Freezes redis-server (SIGSTOP): every store call hangs until resumeRedis(). */
  pauseRedis(): void;
  resumeRedis(): void;
  /** FLUSHALL through the endpoint (handy in beforeEach). */
  flushAll(): Promise<void>;
  /** Stops both. Safe to call twice. */
  stop(): Promise<void>;
}

export { startRedisServer };

export function startRestEndpoint(opts: {
  redisUrl: string;
  token?: string;
  port?: number;
}): Promise<RedisRestServer> {
  return startRedisRestServer({
    redisUrl: opts.redisUrl,
    token: opts.token ?? randomBytes(16).toString("hex"),
    port: opts.port ?? 0,
  });
}

export async function startRedisStack(opts: RedisStackOptions = {}): Promise<RedisStack> {
  const redis = await startRedisServer({ port: opts.redisPort });
  let rest: RedisRestServer;
  try {
    rest = await startRestEndpoint({ redisUrl: redis.url, token: opts.restToken, port: opts.restPort });
  } catch (err) {
    await redis.stop();
    throw err;
  }
  return {
    redisUrl: redis.url,
    redisPort: redis.port,
    restUrl: rest.url,
    restToken: rest.token,
    stopRedis: () => redis.stop(),
    startRedis: () => redis.start(),
    pauseRedis: () => redis.pause(),
    resumeRedis: () => redis.resume(),
    flushAll: async () => {
      const res = await fetch(rest.url, {
        method: "POST",
        headers: { Authorization: `Bearer ${rest.token}` },
        body: '["FLUSHALL"]',
      });
      if (!res.ok) throw new Error(`FLUSHALL failed: ${res.status} ${await res.text()}`);
    },
    stop: async () => {
      await rest.close();
      await redis.stop();
    },
  };
}
