import { parseList } from "structured-headers";
import { describe, expect, it } from "vitest";
import { rateLimitedError, rateLimitHeaders, secondsUntil } from "./headers";
import type { LayerResult } from "./types";

const result = (
  name: string,
  limit: number,
  windowSeconds: number,
  remaining: number,
  resetAt: number,
): LayerResult => ({
  layer: { name, scope: "user", limit, windowSeconds },
  identifier: "user:x",
  success: remaining >= 0,
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
  it("lists every layer in RateLimit-Policy and the tightest in RateLimit (draft-ietf-httpapi-ratelimit-headers)", () => {
    const now = 1_000_000;
    const headers = rateLimitHeaders(
      [result("min", 5, 60, 3, now + 20_500), result("hour", 60, 3600, 1, now + 1_800_000)],
      now,
    );
    expect(headers["RateLimit-Policy"]).toBe('"min";q=5;w=60, "hour";q=60;w=3600');
    expect(headers.RateLimit).toBe('"hour";r=1;t=1800');
    expect(() => parseList(headers["RateLimit-Policy"] as string)).not.toThrow();
  });
});

describe("rateLimitedError", () => {
  it("answers 429 with the JSON contract and a matching Retry-After", async () => {
    const response = rateLimitedError({
      scope: "ip",
      limit: 30,
      windowSeconds: 60,
      retryAfterSeconds: 17,
    }).toResponse();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("17");
    expect(await response.json()).toEqual({
      error: "rate_limited",
      message: "You're sending messages a bit fast — please wait ~17s.",
      retry_after_seconds: 17,
      scope: "ip",
      limit: 30,
      window_seconds: 60,
    });
  });
});
