import { Redis } from "@upstash/redis";
import { describe, expect, it } from "vitest";
import { setUpRedisFixture } from "@/test/support/redis-fixture";
import { MemoryPlanStore, type PlanStore, planKey, RedisPlanStore } from "./store";

const fx = setUpRedisFixture();
const redisStore = () => new RedisPlanStore(new Redis({ url: fx.stack.restUrl, token: fx.stack.restToken }));

describe.each([
  ["memory", () => new MemoryPlanStore() as PlanStore],
  ["redis", () => redisStore() as PlanStore],
])("plan store (%s)", (_name, create) => {
  it("a user with no stored plan is free", async () => {
    expect(await create().planName("oidc_abc")).toBe("free");
  });

  it("applies an upgrade with its Stripe ids once per event id", async () => {
    const store = create();
    const link = { customerId: "cus_1", subscriptionId: "sub_1" };
    expect(await store.applyEvent("evt_1", { userId: "u_1", plan: "pro", link })).toBe("applied");
    expect(await store.planName("u_1")).toBe("pro");
    expect(await store.stripeLink("u_1")).toEqual(link);
    expect(await store.userForStripe({ customerId: null, subscriptionId: "sub_1" })).toBe("u_1");
    expect(await store.userForStripe({ customerId: "cus_1", subscriptionId: null })).toBe("u_1");
    expect(await store.userForStripe({ customerId: "cus_x", subscriptionId: "sub_x" })).toBeNull();

    // The same event again changes nothing, even when it would.
    expect(await store.applyEvent("evt_1", { userId: "u_1", plan: "free" })).toBe("duplicate");
    expect(await store.planName("u_1")).toBe("pro");
  });

  it("a downgrade restores free and forgets the subscription, keeping the customer", async () => {
    const store = create();
    await store.applyEvent("evt_up", {
      userId: "u_2",
      plan: "pro",
      link: { customerId: "cus_2", subscriptionId: "sub_2" },
    });
    expect(
      await store.applyEvent("evt_down", {
        userId: "u_2",
        plan: "free",
        unlink: { subscriptionId: "sub_2" },
      }),
    ).toBe("applied");
    expect(await store.planName("u_2")).toBe("free");
    expect(await store.stripeLink("u_2")).toEqual({ customerId: "cus_2", subscriptionId: null });
    expect(await store.userForStripe({ customerId: null, subscriptionId: "sub_2" })).toBeNull();
    expect(await store.userForStripe({ customerId: "cus_2", subscriptionId: null })).toBe("u_2");
  });
});

describe("plan storage contract", () => {
  it("the plan is the Redis string plan:user:<user.id>; absent means free; free is stored as absent", async () => {
    const store = redisStore();
    expect(planKey("oidc_abc")).toBe("plan:user:oidc_abc");
    await store.applyEvent("evt_a", { userId: "oidc_abc", plan: "pro" });
    expect(await fx.direct.get("plan:user:oidc_abc")).toBe("pro");
    expect(await fx.direct.type("plan:user:oidc_abc")).toBe("string");
    expect(await fx.direct.ttl("billing:event:evt_a")).toBe(-1);
    await store.applyEvent("evt_b", { userId: "oidc_abc", plan: "free" });
    expect(await fx.direct.exists("plan:user:oidc_abc")).toBe(0);
    // A plan written by anyone else (an operator's redis-cli) is read the same way.
    await fx.direct.set("plan:user:someone", "team");
    expect(await store.planName("someone")).toBe("team");
  });

  it("the memory store answers the in-memory admission synchronously, by limit key", async () => {
    const store = new MemoryPlanStore();
    expect(store.storedPlanSync("user:u")).toBeNull();
    await store.applyEvent("evt", { userId: "u", plan: "pro" });
    expect(store.storedPlanSync("user:u")).toBe("pro");
    expect(store.storedPlanSync("ip:203.0.113.7")).toBeNull();
  });
});
