// The local refusal cache: answers a refused identity for a moment, then asks the store again; bounded.
import { describe, expect, it } from "vitest";
import type { Layer, LayerState } from "./layers";
import { RefusalCache } from "./refusal-cache";

const minute: Layer = { name: "min", scope: "user", windowSeconds: 60, planField: "perMinute" };
const hour: Layer = { name: "hour", scope: "user", windowSeconds: 3600, planField: "perHour" };
const refused = (layer: Layer, identifier: string, resetAt: number): LayerState => ({
  layer,
  identifier,
  limit: 5,
  remaining: 0,
  resetAt,
});

describe("RefusalCache", () => {
  it("answers the identity's checks until the entry's age runs out, then forgets it", () => {
    const cache = new RefusalCache(1_000);
    cache.remember(refused(minute, "ip:1.1.1.1", 50_000), [], 10_000);
    const checks = [
      { layer: minute, identifier: "ip:1.1.1.1" },
      { layer: hour, identifier: "ip:1.1.1.1" },
    ];
    expect(cache.lookup(checks, 10_500)?.refusing.resetAt).toBe(50_000);
    expect(cache.lookup([{ layer: minute, identifier: "ip:2.2.2.2" }], 10_500)).toBeNull();
    expect(cache.lookup(checks, 11_000)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it("never outlives the window it cached, and picks the refusal that frees last", () => {
    const cache = new RefusalCache(60_000);
    cache.remember(refused(minute, "u", 10_400), [], 10_000);
    cache.remember(refused(hour, "u", 900_000), [], 10_000);
    const checks = [
      { layer: minute, identifier: "u" },
      { layer: hour, identifier: "u" },
    ];
    expect(cache.lookup(checks, 10_200)?.refusing.layer.name).toBe("hour");
    cache.forget("u");
    expect(cache.lookup(checks, 10_200)).toBeNull();
  });

  it("stays within its bound under a flood of refused identities", () => {
    const cache = new RefusalCache(60_000, 1_000);
    for (let i = 0; i < 10_000; i++) cache.remember(refused(minute, `ip:${i}`, 100_000), [], 10_000);
    expect(cache.size).toBeLessThanOrEqual(1_000);
  });
});
