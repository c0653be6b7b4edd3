import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it } from "vitest";
import { identify } from "@/lib/identity/identify";
import { envForTests, TEST_SECRET } from "@/test/support/env";
import { accountUserId } from "./options";
import { AUTH_SESSION_COOKIE, userFromAuthSession } from "./session-cookie";

const env = envForTests({
  AUTH_SECRET: TEST_SECRET,
  AUTH_OIDC_ISSUER: "https://id.example.com/",
  AUTH_OIDC_CLIENT_ID: "chat",
  AUTH_OIDC_CLIENT_SECRET: "s3cret",
  AUTH_GITHUB_ID: undefined,
  AUTH_GITHUB_SECRET: undefined,
});
beforeEach(() => env());

const withCookie = (token: string) => new Headers({ cookie: `${AUTH_SESSION_COOKIE}=${token}` });

describe("accountUserId", () => {
  it("is stable per provider account, Stripe-safe, and differs between providers", () => {
    const oidc = accountUserId({ provider: "oidc", providerAccountId: "auth0|5f7c" });
    expect(oidc).toMatch(/^oidc_[A-Za-z0-9_-]{32}$/);
    expect(accountUserId({ provider: "oidc", providerAccountId: "auth0|5f7c" })).toBe(oidc);
    expect(accountUserId({ provider: "github", providerAccountId: "auth0|5f7c" })).toMatch(/^github_/);
    expect(accountUserId({ provider: "google", providerAccountId: "auth0|5f7c" })).not.toBe(oidc);
    // Another issuer is another namespace: the same subject there is someone else.
    env({ AUTH_OIDC_ISSUER: "https://other.example.com" });
    expect(accountUserId({ provider: "oidc", providerAccountId: "auth0|5f7c" })).not.toBe(oidc);
  });
});

describe("the Auth.js session cookie", () => {
  it("identifies the signed-in user; limit key and owner are user:<id>", async () => {
    const id = accountUserId({ provider: "oidc", providerAccountId: "alice" });
    const token = await encode({ token: { sub: id, name: "Alice" }, secret: TEST_SECRET });
    expect(await userFromAuthSession(withCookie(token))).toEqual({ id, name: "Alice" });
    const identity = await identify(new Request("http://localhost/", { headers: withCookie(token) }));
    expect(identity.limitKey).toBe(`user:${id}`);
    expect(identity.owner).toBe(`user:${id}`);
  });

  it("ignores a missing, tampered, expired or foreign cookie", async () => {
    const token = await encode({ token: { sub: "oidc_x", name: "X" }, secret: TEST_SECRET });
    expect(await userFromAuthSession(new Headers())).toBeNull();
    expect(await userFromAuthSession(withCookie(`${token.slice(0, -4)}AAAA`))).toBeNull();
    const expired = await encode({ token: { sub: "oidc_x" }, secret: TEST_SECRET, maxAge: -60 });
    expect(await userFromAuthSession(withCookie(expired))).toBeNull();
    const foreign = await encode({
      token: { sub: "oidc_x" },
      secret: "another-secret-0123456789abcdef01234567",
    });
    expect(await userFromAuthSession(withCookie(foreign))).toBeNull();
    const badId = await encode({ token: { sub: "has spaces" }, secret: TEST_SECRET });
    expect(await userFromAuthSession(withCookie(badId))).toBeNull();
  });
});
