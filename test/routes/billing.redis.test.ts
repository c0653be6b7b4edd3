// Billing webhook route suite on real Redis through the project's Upstash-compatible REST endpoint.
import { type RedisStack, startRedisStack } from "../support/redis";
import { defineBillingRouteSuite } from "./billing-suite";

let stack: RedisStack;

defineBillingRouteSuite({
  name: "redis",
  setup: async () => {
    stack = await startRedisStack();
    return { UPSTASH_REDIS_REST_URL: stack.restUrl, UPSTASH_REDIS_REST_TOKEN: stack.restToken };
  },
  beforeEach: () => stack.flushAll(),
  teardown: () => stack?.stop(),
});
