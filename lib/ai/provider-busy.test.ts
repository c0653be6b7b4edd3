// The provider's "full" answer told apart from other failures, and its wait read as the provider gave it.
import { APICallError, RetryError } from "ai";
import { describe, expect, it } from "vitest";
import { PROVIDER_BUSY_DEFAULT_MS, PROVIDER_BUSY_MAX_MS, providerBusyUntil } from "./provider-busy";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const failure = (statusCode: number, responseHeaders: Record<string, string> = {}) =>
  new APICallError({ message: "x", url: "http://p/v1", requestBodyValues: {}, statusCode, responseHeaders });

describe("providerBusyUntil", () => {
  it("reads retry-after-ms first, then retry-after in seconds or as an HTTP date", () => {
    expect(providerBusyUntil(failure(429, { "retry-after-ms": "2500", "retry-after": "9" }), NOW)).toBe(
      NOW + 2_500,
    );
    expect(providerBusyUntil(failure(429, { "retry-after": "7" }), NOW)).toBe(NOW + 7_000);
    const date = new Date(NOW + 42_000).toUTCString();
    expect(providerBusyUntil(failure(503, { "Retry-After": date }), NOW)).toBe(NOW + 42_000);
  });

  it("without a usable hint waits the default; a hint is kept between 1 s and the cap", () => {
    expect(providerBusyUntil(failure(529), NOW)).toBe(NOW + PROVIDER_BUSY_DEFAULT_MS);
    expect(providerBusyUntil(failure(429, { "retry-after": "soon" }), NOW)).toBe(
      NOW + PROVIDER_BUSY_DEFAULT_MS,
    );
    expect(providerBusyUntil(failure(429, { "retry-after": "0" }), NOW)).toBe(NOW + 1_000);
    expect(providerBusyUntil(failure(429, { "retry-after": "86400" }), NOW)).toBe(NOW + PROVIDER_BUSY_MAX_MS);
  });

  it("sees through the SDK's RetryError and a gateway error's cause; other failures are not 'busy'", () => {
    const retried = new RetryError({
      message: "x",
      reason: "maxRetriesExceeded",
      errors: [failure(429, { "retry-after": "3" })],
    });
    expect(providerBusyUntil(retried, NOW)).toBe(NOW + 3_000);
    const gateway = Object.assign(new Error("rate limited"), {
      statusCode: 429,
      cause: failure(429, { "retry-after": "4" }),
    });
    expect(providerBusyUntil(gateway, NOW)).toBe(NOW + 4_000);
    for (const other of [failure(500), failure(400), failure(401), new Error("socket hang up"), undefined])
      expect(providerBusyUntil(other, NOW)).toBeNull();
  });
});
