import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const SECRET = "x".repeat(32);

describe("parseConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    const config = parseConfig({});
    expect(config.rateLimit).toMatchObject({
      perMinute: 5,
      perHour: 60,
      ipPerMinute: 30,
      timeoutMs: 500,
      failMode: "open",
    });
    expect(config.proxy).toEqual({ trustedHops: 1, trustedHopsSet: false, ipv6Subnet: 64 });
    expect(parseConfig({ TRUSTED_PROXY_HOPS: "1" }).proxy.trustedHopsSet).toBe(true);
    expect(config.credits).toMatchObject({ dailyTokenBudget: 100_000, maxOutputTokens: 4096 });
    expect(config.redis).toBeNull();
    expect(config.maxConcurrentStreams).toBe(2);
    expect(config.auth.trustUserIdHeader).toBe(false);
  });

  it("reads overrides, and 0 disables a layer", () => {
    const config = parseConfig({
      RATE_LIMIT_CHAT_PER_MIN: "0",
      RATE_LIMIT_CHAT_PER_HOUR: "7",
      TRUST_USER_ID_HEADER: "true",
    });
    expect(config.rateLimit.perMinute).toBe(0);
    expect(config.rateLimit.perHour).toBe(7);
    expect(config.auth.trustUserIdHeader).toBe(true);
  });

  it.each([
    ["RATE_LIMIT_CHAT_PER_MIN", "-1"],
    ["RATE_LIMIT_CHAT_PER_MIN", "2.5"],
    ["RATE_LIMIT_CHAT_PER_HOUR", "sixty"],
    ["RATE_LIMIT_CHAT_IP_PER_MIN", "1e3"],
    ["RATE_LIMIT_TIMEOUT_MS", "0"],
    ["RATE_LIMIT_FAIL_MODE", "sometimes"],
    ["IPV6_SUBNET", "129"],
    ["TRUST_USER_ID_HEADER", "yes"],
    ["UPSTASH_REDIS_REST_URL", "not a url"],
    ["AUTH_SECRET", "short"],
    ["ADMIN_TOKEN", "too-short"],
    ["ADMIN_TOKEN", `${"x".repeat(32)} y`],
    ["ADMIN_USER_IDS", "dev-alice"],
    ["ADMIN_USER_IDS", "user:dev-alice, ip:203.0.113.7"],
    ["ADMIN_USER_IDS", "user:"],
    ["STRIPE_PAYMENT_LINK_ID", "https://buy.stripe.com/test_123"],
    ["ADMIN_RATE_LIMIT_CHANGES_PER_MIN", "-1"],
  ])("rejects %s=%s with an error naming the variable", (variable, value) => {
    expect(() => parseConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [variable]: value })).toThrow(variable);
  });

  it("requires AUTH_SECRET in production and a token with a REST URL", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow("AUTH_SECRET");
    expect(parseConfig({ NODE_ENV: "production", AUTH_SECRET: SECRET }).isProduction).toBe(true);
    expect(() => parseConfig({ UPSTASH_REDIS_REST_URL: "https://x.upstash.io" })).toThrow(
      "UPSTASH_REDIS_REST_TOKEN",
    );
  });

  it("accepts the Vercel Marketplace names for Upstash", () => {
    const config = parseConfig({ KV_REST_API_URL: "https://kv.example", KV_REST_API_TOKEN: "t" });
    expect(config.redis).toEqual({ url: "https://kv.example", token: "t" });
  });

  it("reads the operator console's token and admin user keys (a comma-separated list, blanks ignored)", () => {
    const limits = { readsPerMinute: 300, changesPerMinute: 60 };
    expect(parseConfig({}).admin).toEqual({ token: undefined, userKeys: [], ...limits });
    const config = parseConfig({
      ADMIN_TOKEN: SECRET,
      ADMIN_USER_IDS: " user:jwt_aBc-1,, user:oidc_XyZ_2 ,user:jwt_aBc-1",
    });
    expect(config.admin).toEqual({
      token: SECRET,
      userKeys: ["user:jwt_aBc-1", "user:oidc_XyZ_2"],
      ...limits,
    });
    // A user id is what GET /api/session returns: Stripe-safe, so a raw provider subject is refused.
    expect(() => parseConfig({ ADMIN_USER_IDS: "user:auth0|123" })).toThrow(/ADMIN_USER_IDS/);
    expect(() => parseConfig({ ADMIN_USER_IDS: "alice" })).toThrow(
      /ADMIN_USER_IDS: "alice" is not a user key/,
    );
  });
});

describe("sign-in providers", () => {
  it("turns a provider on when its id and secret are set, and names the missing half", () => {
    const config = parseConfig({
      AUTH_OIDC_ISSUER: "https://id.example.com/",
      AUTH_OIDC_CLIENT_ID: "chat",
      AUTH_OIDC_CLIENT_SECRET: "s3cret",
      AUTH_OIDC_NAME: "Example SSO",
      AUTH_GITHUB_ID: "gh",
      AUTH_GITHUB_SECRET: "ghs",
    });
    expect(config.auth.providers.map((p) => [p.id, p.name])).toEqual([
      ["oidc", "Example SSO"],
      ["github", "GitHub"],
    ]);
    expect(parseConfig({}).auth.providers).toEqual([]);
    expect(() => parseConfig({ AUTH_GOOGLE_ID: "g" })).toThrow("AUTH_GOOGLE_SECRET");
    expect(() => parseConfig({ AUTH_OIDC_CLIENT_ID: "a", AUTH_OIDC_CLIENT_SECRET: "b" })).toThrow(
      "AUTH_OIDC_ISSUER",
    );
    expect(() => parseConfig({ AUTH_OIDC_ISSUER: "https://id.example.com" })).toThrow("AUTH_OIDC_CLIENT_ID");
    expect(() => parseConfig({ AUTH_TRUST_HOST: "false" })).toThrow("AUTH_TRUST_HOST");
  });
});
