// The one place the process-wide services are built from the config: Redis, store, admission, model.
import { Redis } from "@upstash/redis";
import { MemoryOperatorStore } from "./admin/memory";
import { RedisOperatorStore } from "./admin/redis";
import type { OperatorStore } from "./admin/types";
import { MemoryUserDirectory, RedisUserDirectory, type UserDirectory } from "./admin/user-directory";
import { CachedRefusalCounter } from "./admission/cached-refusals";
import { MemoryAdmissionBackend } from "./admission/memory";
import { PendingUsage } from "./admission/pending-usage";
import { RedisAdmissionBackend } from "./admission/redis";
import type { PlanLimits } from "./admission/types";
import { type ChatModelInfo, selectChatModel } from "./ai/model";
import { type Config, getConfig } from "./config";
import { type ModelTable, singleModelTable } from "./models/table";
import { MemoryPlanStore, type PlanStore, RedisPlanStore } from "./plans/store";
import { processState } from "./process-state";
import { type ChatLayers, chatLayers } from "./ratelimit/layers";
import { RefusalCache } from "./ratelimit/refusal-cache";
import { MemoryReplyStreamStore } from "./reply-stream/memory";
import { RedisReplyStreamStore } from "./reply-stream/redis";
import type { ReplyStreamStore } from "./reply-stream/types";
import { MemoryChatStore } from "./store/memory";
import { RedisChatStore } from "./store/redis";
import type { ChatStore } from "./store/types";

export interface AdmissionServices {
  layers: ChatLayers;
  plans: Record<string, PlanLimits>;
  /** Where admission state lives: Redis when configured (shared by every instance), else this process. */
  primary: MemoryAdmissionBackend | RedisAdmissionBackend;
  /** With Redis: this instance's own limits while Redis is slow or down. Null in memory mode. */
  fallback: MemoryAdmissionBackend | null;
  refusals: RefusalCache;
  /** Usage spent under the fallback, billed to Redis once it answers. */
  pendingUsage: PendingUsage;
  /** Refusals answered from `refusals`, counted into the operator's stats afterwards. */
  cachedRefusals: CachedRefusalCounter;
}

export interface Services {
  config: Config;
  /** The one Upstash Redis REST client, or null for the embedded in-memory defaults. */
  redis: Redis | null;
  store: ChatStore;
  /** Live replies' chunks, for reloaded and other tabs, and Stop from any of them (lib/reply-stream). */
  replies: ReplyStreamStore;
  /** Who is on which plan, and the Stripe ids behind it (lib/plans/store.ts). */
  planStore: PlanStore;
  admission: AdmissionServices;
  /** Blocks, resets, stats and the audit log of the operator's console. */
  operator: OperatorStore;
  /** Signed-in users' display names → their keys: the console finds a user by name (lib/admin/user-directory). */
  users: UserDirectory;
  /** The default model (the first of the table): health, titles. */
  model: ChatModelInfo;
  /** Every model of the table (CHAT_MODELS, or the one configured provider model), by key. */
  models: ModelTable;
  chatModels: Map<string, ChatModelInfo>;
}

/** The process's services, built on first use (and again after a test reset of the process state). */
export function services(): Services {
  return processState("services", () => build(getConfig()));
}

function build(config: Config): Services {
  const redis = config.redis
    ? new Redis({
        url: config.redis.url,
        token: config.redis.token,
        // Commands issued in the same tick travel as one HTTP pipeline.
        enableAutoPipelining: true,
        // Fail fast: every store call has its own deadline and fallback; retries would only add latency.
        retry: { retries: 0 },
        enableTelemetry: false,
        latencyLogging: false,
      })
    : null;
  const memoryStore = redis ? null : new MemoryChatStore();
  const planStore = redis ? new RedisPlanStore(redis) : new MemoryPlanStore();
  const primary = redis
    ? new RedisAdmissionBackend(redis)
    : new MemoryAdmissionBackend({
        conversations: memoryStore,
        storedPlan: (limitKey) => (planStore as MemoryPlanStore).storedPlanSync(limitKey),
      });
  const configured = selectChatModel(config.ai);
  const models = config.models ?? singleModelTable(configured.id, configured.label);
  // Without CHAT_MODELS the one model is the configured provider's, exactly as before.
  const chatModels = new Map(
    models.map((row) => [
      row.key,
      config.models ? selectChatModel({ ...config.ai, model: row.model }, { answeredBy: row }) : configured,
    ]),
  );
  const admission: AdmissionServices = {
    layers: chatLayers(config.rateLimit, models),
    // The plan table (guest, free, pro and RATE_LIMIT_PLANS), validated with the rest of the config.
    plans: config.plans,
    primary,
    fallback: redis ? new MemoryAdmissionBackend({ conversations: null }) : null,
    refusals: new RefusalCache(),
    pendingUsage: new PendingUsage(),
    cachedRefusals: new CachedRefusalCounter(primary, config.abuse),
  };
  return {
    config,
    redis,
    store: redis ? new RedisChatStore(redis) : (memoryStore as MemoryChatStore),
    replies: redis
      ? new RedisReplyStreamStore(redis)
      : new MemoryReplyStreamStore((owner, id) => memoryStore?.holder(owner, id) === "mine"),
    planStore,
    admission,
    operator: redis
      ? new RedisOperatorStore(redis)
      : new MemoryOperatorStore(primary as MemoryAdmissionBackend),
    users: redis ? new RedisUserDirectory(redis) : new MemoryUserDirectory(),
    model: chatModels.get(models[0]?.key ?? "") ?? configured,
    models,
    chatModels,
  };
}
