import { Redis } from "@upstash/redis";
import { describe, expect, it } from "vitest";
import { newId } from "@/test/support/chat-body";
import { setUpRedisFixture } from "@/test/support/redis-fixture";
import { MemoryAdmissionBackend } from "../admission/memory";
import { RedisAdmissionBackend } from "../admission/redis";
import type { AdmissionBackend, AdmissionRequest, PlanLimits } from "../admission/types";
import { MemoryChatStore } from "./memory";
import { RedisChatStore } from "./redis";
import type { ChatMessage, ChatStore } from "./types";

const fx = setUpRedisFixture();

const NO_LIMITS: PlanLimits = { perMinute: 0, perHour: 0, concurrentStreams: 0, dailyTokens: 0 };

interface Stores {
  store: ChatStore;
  admission: AdmissionBackend;
}

function memory(): Stores {
  const store = new MemoryChatStore();
  return { store, admission: new MemoryAdmissionBackend({ conversations: store }) };
}

function redis(): Stores {
  const client = new Redis({ url: fx.stack.restUrl, token: fx.stack.restToken });
  return { store: new RedisChatStore(client), admission: new RedisAdmissionBackend(client) };
}

function admission(owner: string, id: string): AdmissionRequest {
  return {
    now: Date.now(),
    limitKey: owner.startsWith("user:") ? owner : "ip:203.0.113.7",
    checks: [],
    plans: { guest: NO_LIMITS, free: NO_LIMITS },
    defaultPlan: owner.startsWith("user:") ? "free" : "guest",
    readsStoredPlan: false,
    models: [{ key: "default", plans: null }],
    model: null,
    owner,
    conversationId: id,
    messageId: newId("m"),
    messageBytes: 50,
    leaseId: newId("lease"),
    maxOutputTokens: 100,
    intent: "send",
    blockTargets: [],
    abuse: null,
  };
}

/** One message into conversation `id` of `owner`, the way the chat route stores it: admit, then settle. */
async function conversation({ admission: backend }: Stores, owner: string, id: string, text: string) {
  const request = admission(owner, id);
  const result = await backend.admit(request);
  if (!result.admitted) throw new Error(`refused: ${JSON.stringify(result.refusals)}`);
  const message: ChatMessage = { id: `${id}-m`, role: "user", parts: [{ type: "text", text }] };
  await backend.settle(
    {
      limitKey: request.limitKey,
      leaseId: request.leaseId,
      leased: result.grant.leased,
      day: result.grant.day,
      tokens: 0,
      owner,
      conversationId: id,
      claim: result.claim,
      messages: [message],
      title: `Title ${text}`,
    },
    Date.now(),
  );
}

/** Whether `owner` may write to conversation `id` now ("mine"/"created"), or is refused as not theirs. */
async function claimFor({ admission: backend }: Stores, owner: string, id: string): Promise<string> {
  const result = await backend.admit(admission(owner, id));
  return result.admitted ? result.claim : (result.refusals[0]?.reason ?? "refused");
}

describe.each([
  ["memory", memory],
  ["redis", redis],
])("moveConversations (%s)", (_name, create) => {
  it("moves a guest's conversations, messages and titles to the user, who then owns them", async () => {
    const stores = create();
    const { store } = stores;
    await conversation(stores, "guest:g1", "c-1", "first");
    await conversation(stores, "guest:g1", "c-2", "second");
    await conversation(stores, "guest:other", "c-3", "not mine");
    await conversation(stores, "user:u1", "c-0", "already the user's");

    expect(await store.moveConversations("guest:g1", "user:u1")).toBe(2);

    expect(await store.listConversations("guest:g1", 10)).toEqual([]);
    expect((await store.listConversations("user:u1", 10)).map((c) => c.id).sort()).toEqual([
      "c-0",
      "c-1",
      "c-2",
    ]);
    const moved = await store.getConversation("user:u1", "c-1");
    expect(moved?.title).toBe("Title first");
    expect(moved?.messages.map((m) => m.id)).toEqual(["c-1-m"]);
    expect(await store.getConversation("guest:g1", "c-1")).toBeNull();
    // Ownership moved too: the guest can no longer write to it, the user can.
    expect(await claimFor(stores, "guest:g1", "c-1")).toBe("not_found");
    expect(await claimFor(stores, "user:u1", "c-1")).toBe("mine");
    // Someone else's conversation stayed where it was.
    expect((await store.listConversations("guest:other", 10)).map((c) => c.id)).toEqual(["c-3"]);
  });

  it("is safe to repeat and moves nothing for an unknown guest", async () => {
    const stores = create();
    const { store } = stores;
    await conversation(stores, "guest:g2", "c-9", "once");
    expect(await store.moveConversations("guest:g2", "user:u2")).toBe(1);
    expect(await store.moveConversations("guest:g2", "user:u2")).toBe(0);
    expect(await store.moveConversations("guest:nobody", "user:u2")).toBe(0);
    expect((await store.listConversations("user:u2", 10)).map((c) => c.id)).toEqual(["c-9"]);
  });
});

describe("moveConversations on Redis", () => {
  it("drops the anonymous expiry: a user's conversations are kept", async () => {
    const stores = redis();
    await conversation(stores, "guest:g3", "c-t", "expiring");
    expect(await fx.direct.ttl("msgs:guest:g3:c-t")).toBeGreaterThan(0);
    await stores.store.moveConversations("guest:g3", "user:u3");
    for (const key of ["conv:user:u3:c-t", "msgs:user:u3:c-t", "msgids:user:u3:c-t", "conv-owner:c-t"]) {
      expect(await fx.direct.ttl(key), key).toBe(-1);
    }
    const leftBehind = ["conv:guest:g3:c-t", "msgs:guest:g3:c-t", "msgids:guest:g3:c-t", "convs:guest:g3"];
    expect(await fx.direct.exists(leftBehind)).toBe(0);
  });

  it("moves more conversations than one batch", async () => {
    const stores = redis();
    for (let i = 0; i < 130; i++) await conversation(stores, "guest:many", `m-${i}`, `n${i}`);
    expect(await stores.store.moveConversations("guest:many", "user:many")).toBe(130);
    expect(await stores.store.listConversations("user:many", 500)).toHaveLength(130);
  });
});
