import { describe, expect, it } from "vitest";
import { ApiError, errorToResponse } from "./errors";

describe("ApiError", () => {
  it("answers its one JSON shape with status and headers", async () => {
    const res = new ApiError(
      "rate_limited",
      "Slow down.",
      { scope: "user" },
      { "Retry-After": "7" },
    ).toResponse();
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: "rate_limited", message: "Slow down.", scope: "user" });
  });

  it("captures no stack frames and leaves Error.stackTraceLimit as it was", () => {
    const before = Error.stackTraceLimit;
    const error = new ApiError("bad_request", "Nope.");
    expect(error.stack).toBe("ApiError: Nope.");
    expect(error).toBeInstanceOf(Error);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("x").stack?.split("\n").length).toBeGreaterThan(1);
  });

  it("turns unexpected errors into a generic 500 without internals", async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const res = errorToResponse(new TypeError("secret detail"));
      expect(res.status).toBe(500);
      expect(JSON.stringify(await res.json())).not.toContain("secret detail");
    } finally {
      console.error = original;
    }
  });
});
