import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";
import { startupWarnings } from "./startup-warnings";

const production = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), TRUSTED_PROXY_HOPS: "1" };

describe("start-up warnings", () => {
  it("warns when AUTH_DEV_SIGNIN=true in production, not in development or when it is off", () => {
    const warned = startupWarnings(parseConfig({ ...production, AUTH_DEV_SIGNIN: "true" }));
    expect(warned).toEqual([
      expect.stringMatching(/^AUTH_DEV_SIGNIN=true in production: anyone can sign in/),
    ]);
    expect(startupWarnings(parseConfig({ ...production, AUTH_DEV_SIGNIN: "false" }))).toEqual([]);
    expect(startupWarnings(parseConfig({ AUTH_DEV_SIGNIN: "true" }))).toEqual([]);
  });

  it("warns in production off Vercel when TRUSTED_PROXY_HOPS was left unset", () => {
    const unset = startupWarnings(parseConfig({ ...production, TRUSTED_PROXY_HOPS: "" }));
    expect(unset).toEqual([expect.stringMatching(/^TRUSTED_PROXY_HOPS is not set/)]);
    expect(startupWarnings(parseConfig({ ...production, TRUSTED_PROXY_HOPS: "", VERCEL: "1" }))).toEqual([]);
  });
});
