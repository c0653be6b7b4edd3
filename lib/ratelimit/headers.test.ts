// RateLimit fields (draft-ietf-httpapi-ratelimit-headers) and the honest rounding of waits.
import { parseList } from "structured-headers";
import { describe, expect, it } from "vitest";
import { rateLimitHeaders, secondsUntil } from "./headers";
import type { LayerState } from "./layers";

const state = (
  name: "min" | "hour",
  limit: number,
  windowSeconds: number,
  remaining: number,
  resetAt: number,
): LayerState => ({
  layer: { name, scope: "user", windowSeconds },
  identifier: "user:x",
  limit,
  remaining,
  resetAt,
});

describe("secondsUntil", () => {
  it("rounds up so that waiting that long is always enough, and is at least 1", () => {
    expect(secondsUntil(10_001, 0)).toBe(11);
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(5, 0)).toBe(1);
    expect(secondsUntil(-100, 0)).toBe(1);
  });
});

describe("rateLimitHeaders", () => {
  const now = 1_000_000;
  const min = state("min", 5, 60, 3, now + 20_500);
  const hour = state("hour", 60, 3600, 1, now + 1_800_000);

  it("lists every layer in RateLimit-Policy and the tightest in RateLimit", () => {
    const headers = rateLimitHeaders([min, hour], now);
    expect(headers["RateLimit-Policy"]).toBe('"min";q=5;w=60, "hour";q=60;w=3600');
    expect(headers.RateLimit).toBe('"hour";r=1;t=1800');
    expect(() => parseList(headers["RateLimit-Policy"] as string)).not.toThrow();
  });

  it("names the refusing layer in RateLimit when one refused, and still lists them all", () => {
    const refusing = { ...min, remaining: 0 };
    const headers = rateLimitHeaders([refusing, hour], now, refusing);
    expect(headers.RateLimit).toBe('"min";r=0;t=21');
    expect(headers["RateLimit-Policy"]).toBe('"min";q=5;w=60, "hour";q=60;w=3600');
  });

  it("follows a plan's limit (the policy item is per layer and limit)", () => {
    expect(rateLimitHeaders([{ ...min, limit: 20 }], now)["RateLimit-Policy"]).toBe('"min";q=20;w=60');
    expect(rateLimitHeaders([min], now)["RateLimit-Policy"]).toBe('"min";q=5;w=60');
  });

  it("is empty when no layer applies", () => {
    expect(rateLimitHeaders([], now)).toEqual({});
  });
});
