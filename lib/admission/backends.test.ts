// The admission contract on both backends: in memory, and on a real redis-server through the REST endpoint.
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type RedisStack, startRedisStack } from "@/test/support/redis";
import { MemoryOperatorStore } from "../admin/memory";
import { RedisOperatorStore } from "../admin/redis";
import { MemoryChatStore } from "../store/memory";
import { RedisChatStore } from "../store/redis";
import { defineAdmissionContract } from "./backend-contract";
import { admissionKeys } from "./budget";
import { defineExactnessContract } from "./exactness-contract";
import { MemoryAdmissionBackend } from "./memory";
import { defineModelsContract } from "./models-contract";
import { RedisAdmissionBackend } from "./redis";

{
  let conversations = new MemoryChatStore();
  let plans = new Map<string, string>();
  let backend = new MemoryAdmissionBackend({ conversations, storedPlan: (key) => plans.get(key) ?? null });
  beforeEach(() => {
    conversations = new MemoryChatStore();
    plans = new Map();
    backend = new MemoryAdmissionBackend({ conversations, storedPlan: (key) => plans.get(key) ?? null });
  });
  defineAdmissionContract("memory", {
    backend: () => backend,
    operator: () => new MemoryOperatorStore(backend),
    setPlan: async (key, plan) => void plans.set(key, plan),
    deleteConversation: (owner, id) => conversations.deleteConversation(owner, id),
    readConversation: (owner, id) => conversations.getConversation(owner, id),
  });
  defineExactnessContract("memory", () => backend);
  defineModelsContract("memory", () => backend);
}

{
  let stack: RedisStack;
  let redis: Redis;
  let backend: RedisAdmissionBackend;
  let store: RedisChatStore;
  beforeAll(async () => {
    stack = await startRedisStack();
    redis = new Redis({ url: stack.restUrl, token: stack.restToken, enableAutoPipelining: true });
    backend = new RedisAdmissionBackend(redis);
    store = new RedisChatStore(redis);
  });
  afterAll(() => stack?.stop());
  beforeEach(() => stack.flushAll());
  defineAdmissionContract("redis", {
    backend: () => backend,
    operator: () => new RedisOperatorStore(redis),
    setPlan: async (key, plan) => void (await redis.set(admissionKeys.plan(key), plan)),
    deleteConversation: (owner, id) => store.deleteConversation(owner, id),
    readConversation: (owner, id) => store.getConversation(owner, id),
  });
  defineExactnessContract("redis", () => backend);
  defineModelsContract("redis", () => backend);
}
