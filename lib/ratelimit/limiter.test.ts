import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { ChatLimiter } from "./limiter";
import { MemoryLimiterBackend } from "./memory-backend";
import type { LayerCheck, LayerResult, LimiterBackend } from "./types";

const rateLimit = (env: Record<string, string> = {}) => parseConfig(env).rateLimit;
const anon = (ip: string) => ({ user: null, limitKey: `ip:${ip}`, clientIp: ip });

describe("ChatLimiter (memory backend)", () => {
  it("admits exactly the per-minute limit, then refuses with scope user and an honest wait", async () => {
    const limiter = new ChatLimiter({ backend: new MemoryLimiterBackend(), rateLimit: rateLimit() });
    for (let i = 0; i < 5; i++) expect((await limiter.check(anon("1.1.1.1"))).outcome).toBe("allowed");
    const refused = await limiter.check(anon("1.1.1.1"));
    expect(refused.outcome).toBe("refused");
    if (refused.outcome !== "refused") return;
    expect(refused.refusedBy.layer.name).toBe("min");
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("refunds the layers that admitted a refused request, so refusals do not burn the hour", async () => {
    const limiter = new ChatLimiter({
      backend: new MemoryLimiterBackend(),
      rateLimit: rateLimit({
        RATE_LIMIT_CHAT_PER_MIN: "2",
        RATE_LIMIT_CHAT_PER_HOUR: "3",
        RATE_LIMIT_MINUTE_WINDOW_SECONDS: "1",
      }),
    });
    const who = anon("2.2.2.2");
    expect((await limiter.check(who)).outcome).toBe("allowed");
    expect((await limiter.check(who)).outcome).toBe("allowed");
    for (let i = 0; i < 10; i++) {
      const d = await limiter.check(who);
      expect(d.outcome).toBe("refused");
      await d.pending;
    }
    await new Promise((r) => setTimeout(r, 1_100));
    // Only 2 of the hour's 3 were used by admitted requests: one more fits after the minute window.
    expect((await limiter.check(who)).outcome).toBe("allowed");
    const hourRefusal = await limiter.check(who);
    expect(hourRefusal.outcome).toBe("refused");
    if (hourRefusal.outcome === "refused") expect(hourRefusal.refusedBy.layer.name).toBe("hour");
  });

  it("keeps memory bounded: expired windows are swept, and a flood of live ones is capped", async () => {
    let now = 1_000_000;
    const backend = new MemoryLimiterBackend({ maxKeys: 3_000, sweepEvery: 500, now: () => now });
    const limiter = new ChatLimiter({ backend, rateLimit: rateLimit({ RATE_LIMIT_CHAT_IP_PER_MIN: "0" }) });
    for (let i = 0; i < 1_000; i++) await limiter.check(anon(`10.0.${i >> 8}.${i & 255}`));
    expect(backend.size).toBe(2_000);
    now += 3_600_000 + 1;
    for (let i = 0; i < 500; i++) await limiter.check(anon(`10.1.${i >> 8}.${i & 255}`));
    // The first 1,000 identifiers' windows expired and were swept; only the new ones remain.
    expect(backend.size).toBe(1_000);
    for (let i = 0; i < 50_000; i++) await limiter.check(anon(`10.2.${i >> 8}.${i & 255}`));
    expect(backend.size).toBeLessThanOrEqual(3_000);
  });

  it("refuses a known-blocked identity from memory without counting it again", async () => {
    const backend = new MemoryLimiterBackend();
    const limiter = new ChatLimiter({ backend, rateLimit: rateLimit({ RATE_LIMIT_CHAT_PER_MIN: "1" }) });
    expect((await limiter.check(anon("5.5.5.5"))).outcome).toBe("allowed");
    expect((await limiter.check(anon("5.5.5.5"))).outcome).toBe("refused");
    const sizeBefore = backend.size;
    const third = await limiter.check(anon("5.5.5.5"));
    expect(third.outcome).toBe("refused");
    expect(third.results).toHaveLength(1);
    expect(backend.size).toBe(sizeBefore);
  });
});

describe("ChatLimiter failure policy", () => {
  const hanging: LimiterBackend = {
    kind: "redis",
    blockedUntil: () => null,
    consume: () => new Promise<LayerResult>(() => {}),
    refund: async () => {},
  };
  const failing: LimiterBackend = {
    ...hanging,
    consume: async () => Promise.reject(new Error("ECONNREFUSED")),
  };

  it.each([
    ["times out", hanging],
    ["errors", failing],
  ])("reports unavailable within the timeout when the store %s", async (_, backend) => {
    for (const failMode of ["open", "closed"] as const) {
      const limiter = new ChatLimiter({
        backend,
        rateLimit: { ...rateLimit({ RATE_LIMIT_TIMEOUT_MS: "50" }), failMode },
      });
      const started = Date.now();
      const decision = await limiter.check(anon("3.3.3.3"));
      expect(Date.now() - started).toBeLessThan(200);
      expect(decision).toMatchObject({ outcome: "unavailable", failMode });
    }
  });

  it("refuses from the local block cache without calling the store", async () => {
    let calls = 0;
    const blocked: LimiterBackend = {
      ...hanging,
      blockedUntil: (check: LayerCheck) => (check.layer.name === "min" ? Date.now() + 30_000 : null),
      consume: async () => {
        calls += 1;
        throw new Error("must not be called");
      },
    };
    const decision = await new ChatLimiter({ backend: blocked, rateLimit: rateLimit() }).check(
      anon("4.4.4.4"),
    );
    expect(decision.outcome).toBe("refused");
    if (decision.outcome === "refused") expect(decision.retryAfterSeconds).toBe(30);
    expect(calls).toBe(0);
  });
});
