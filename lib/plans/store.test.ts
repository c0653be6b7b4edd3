import { Redis } from "@upstash/redis";
import { describe, expect, it } from "vitest";
import type { SubscriptionState } from "@/lib/billing/subscriptions";
import { setUpRedisFixture } from "@/test/support/redis-fixture";
import { billingKeys, MemoryPlanStore, type PlanStore, planKey, RedisPlanStore } from "./store";

const fx = setUpRedisFixture();
const redisStore = () => new RedisPlanStore(new Redis({ url: fx.stack.restUrl, token: fx.stack.restToken }));

const state = (user: string | null, active: boolean, created = 1): SubscriptionState => ({
  user,
  active,
  ended: false,
  status: active ? "active" : "unpaid",
  order: { created, rank: 3, eventId: `evt_${created}` },
});

describe.each([
  ["memory", () => new MemoryPlanStore() as PlanStore],
  ["redis", () => redisStore() as PlanStore],
])("plan store (%s)", (_name, create) => {
  it("a user with no stored plan is free", async () => {
    expect(await create().planName("oidc_abc")).toBe("free");
  });

  it("stores a subscription's state once per event id, only over the version it was computed from", async () => {
    const store = create();
    expect(await store.subscription("sub_1")).toEqual({ state: null, version: "" });
    expect(await store.applySubscription("evt_1", "sub_1", "", state("u_1", true))).toEqual({
      outcome: "applied",
      plan: "pro",
    });
    expect(await store.planName("u_1")).toBe("pro");
    const stored = await store.subscription("sub_1");
    expect(stored.state).toEqual(state("u_1", true));
    // The same event again changes nothing, even when it would.
    expect(
      await store.applySubscription("evt_1", "sub_1", stored.version, state("u_1", false)),
    ).toMatchObject({
      outcome: "duplicate",
    });
    // A change computed from a state that has moved on since is refused: read again and retry.
    expect(await store.applySubscription("evt_2", "sub_1", "", state("u_1", false, 2))).toMatchObject({
      outcome: "conflict",
    });
    expect(await store.planName("u_1")).toBe("pro");
  });

  it("the owner is pro while any subscription is active; a hand-set plan is left alone", async () => {
    const store = create();
    await store.applySubscription("evt_a", "sub_a", "", state("u_2", true));
    await store.applySubscription("evt_b", "sub_b", "", state("u_2", true));
    const a = await store.subscription("sub_a");
    expect((await store.applySubscription("evt_a2", "sub_a", a.version, state("u_2", false, 2))).plan).toBe(
      "pro",
    );
    const b = await store.subscription("sub_b");
    expect((await store.applySubscription("evt_b2", "sub_b", b.version, state("u_2", false, 2))).plan).toBe(
      "free",
    );
    expect(await store.planName("u_2")).toBe("free");
    // A subscription whose owner is not known yet changes no plan.
    expect(await store.applySubscription("evt_c", "sub_c", "", state(null, true))).toEqual({
      outcome: "applied",
      plan: null,
    });
  });
});

describe("plan storage contract", () => {
  it("the plan is the Redis string plan:user:<user.id>; absent means free; free is stored as absent", async () => {
    const store = redisStore();
    expect(planKey("oidc_abc")).toBe("plan:user:oidc_abc");
    await store.applySubscription("evt_a", "sub_x", "", state("oidc_abc", true));
    expect(await fx.direct.get("plan:user:oidc_abc")).toBe("pro");
    expect(await fx.direct.type("plan:user:oidc_abc")).toBe("string");
    expect(await fx.direct.ttl("billing:event:evt_a")).toBe(-1);
    const { version } = await store.subscription("sub_x");
    await store.applySubscription("evt_b", "sub_x", version, state("oidc_abc", false, 2));
    expect(await fx.direct.exists("plan:user:oidc_abc")).toBe(0);
    // A plan written by anyone else (an operator's redis-cli) is read the same way, and billing leaves it.
    await fx.direct.set("plan:user:someone", "team");
    expect(await store.planName("someone")).toBe("team");
    await store.applySubscription("evt_c", "sub_t", "", state("someone", true));
    expect(await store.planName("someone")).toBe("team");
  });

  it("a subscription stored the old way (its owner's id) reads as that owner with no status", async () => {
    const store = redisStore();
    await fx.direct.set(billingKeys.subscription("sub_old"), "oidc_old");
    expect((await store.subscription("sub_old")).state).toMatchObject({ user: "oidc_old", active: false });
  });

  it("the memory store answers the in-memory admission synchronously, by limit key", async () => {
    const store = new MemoryPlanStore();
    expect(store.storedPlanSync("user:u")).toBeNull();
    await store.applySubscription("evt", "sub", "", state("u", true));
    expect(store.storedPlanSync("user:u")).toBe("pro");
    expect(store.storedPlanSync("ip:203.0.113.7")).toBeNull();
  });
});
