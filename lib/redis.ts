// The one Upstash Redis REST client of the process, or null when the embedded in-memory defaults are in use.
import { Redis } from "@upstash/redis";
import { getConfig } from "./config";

let client: Redis | null | undefined;

export function getRedis(): Redis | null {
  if (client !== undefined) return client;
  const { redis } = getConfig();
  client = redis
    ? new Redis({
        url: redis.url,
        token: redis.token,
        // Parallel commands of one request (e.g. all rate-limit layers) travel as one HTTP pipeline.
        enableAutoPipelining: true,
        // Fail fast: the limiter has its own timeout and fail-open/closed policy; retries would only add latency.
        retry: { retries: 0 },
        enableTelemetry: false,
        latencyLogging: false,
      })
    : null;
  return client;
}

/** Tests only: drop the cached client after the environment changed. */
export function resetRedisForTests(): void {
  client = undefined;
}
