// Vitest fixture for the endpoint's integration tests: redis-server + endpoint per file, flushed per test.
import { createClient } from "redis";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type RedisStack, startRedisStack } from "./redis";

export interface RedisFixture {
  stack: RedisStack;
  /** A node-redis client straight to redis-server, for assertions the REST protocol cannot make. */
  direct: ReturnType<typeof createClient>;
  /** POSTs a raw JSON body to the endpoint with the right token and base64 responses. */
  post(path: string, body: unknown): Promise<Response>;
}

export function setUpRedisFixture(): RedisFixture {
  const fixture = {
    post(path: string, body: unknown) {
      return fetch(`${fixture.stack.restUrl}${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${fixture.stack.restToken}`, "Upstash-Encoding": "base64" },
        body: JSON.stringify(body),
      });
    },
  } as RedisFixture;
  beforeAll(async () => {
    fixture.stack = await startRedisStack();
    fixture.direct = createClient({ url: fixture.stack.redisUrl });
    await fixture.direct.connect();
  });
  afterAll(async () => {
    fixture.direct?.destroy();
    await fixture.stack?.stop();
  });
  beforeEach(() => fixture.stack.flushAll());
  return fixture;
}
