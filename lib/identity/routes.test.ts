import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it } from "vitest";
import { DELETE, POST } from "@/app/api/auth/dev-signin/route";
import { GET } from "@/app/api/session/route";
import { proxy, config as proxyConfig } from "@/proxy";
import { envForTests, TEST_SECRET } from "@/test/support/env";
import { GUEST_COOKIE, readCookie, SESSION_COOKIE } from "./cookies";
import { mintGuestSession, verifyGuestCookie } from "./guest";
import { verifyUserToken } from "./jwt";
import { deriveUserId } from "./user-id";

const env = envForTests({ AUTH_SECRET: TEST_SECRET, AUTH_DEV_SIGNIN: "true", NODE_ENV: "test" });
beforeEach(() => env());

const devId = (slug: string) => deriveUserId("jwt", "hs256:", `dev-${slug}`);

function signIn(body: string, contentType = "application/json"): Promise<Response> {
  return POST(
    new Request("http://localhost/api/auth/dev-signin", {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    }),
  );
}

function sessionCookieFrom(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return line?.slice(SESSION_COOKIE.length + 1).split(";")[0];
}

describe("POST /api/auth/dev-signin", () => {
  it("is a 404 unless AUTH_DEV_SIGNIN=true", async () => {
    env({ AUTH_DEV_SIGNIN: undefined });
    const res = await signIn(JSON.stringify({ name: "Ada" }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found" });
    expect(res.headers.getSetCookie()).toEqual([]);
    // Signing out still works (and clears the cookie) so a leftover session can always be ended.
    const signOut = await DELETE(new Request("http://localhost/api/auth/dev-signin", { method: "DELETE" }));
    expect(signOut.status).toBe(200);
    expect(signOut.headers.getSetCookie().join("\n")).toMatch(/chat_session=;.*Max-Age=0/i);
  });

  it("sets a session cookie holding a verifiable user token", async () => {
    const res = await signIn(JSON.stringify({ name: "  Ada  Lovelace " }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { id: devId("ada-lovelace"), name: "Ada Lovelace" } });
    const setCookie = res.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i);
    const token = sessionCookieFrom(res);
    expect(token).toBeTruthy();
    expect(await verifyUserToken(token ?? "")).toEqual({ id: devId("ada-lovelace"), name: "Ada Lovelace" });
  });

  it("marks the cookie Secure in production", async () => {
    env({ NODE_ENV: "production" });
    const res = await signIn(JSON.stringify({ name: "Ada" }));
    expect(res.headers.getSetCookie().join("\n")).toMatch(/Secure/i);
  });

  it("answers 400 JSON for bad JSON or a bad name", async () => {
    for (const body of ["{not json", "", JSON.stringify({}), JSON.stringify({ name: 42 })]) {
      const res = await signIn(body);
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ error: "bad_request", message: expect.any(String) });
    }
    for (const name of ["", "   ", "x".repeat(41), "<script>", "a:b", "ünïcode"]) {
      const res = await signIn(JSON.stringify({ name }));
      expect(res.status, name).toBe(400);
      expect((await res.json()).error).toBe("bad_request");
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it("refuses non-JSON content types (login CSRF)", async () => {
    const res = await signIn(JSON.stringify({ name: "Ada" }), "text/plain");
    expect(res.status).toBe(415);
    expect((await res.json()).error).toBe("unsupported_media_type");
  });

  it("DELETE clears the cookie", async () => {
    const res = await DELETE(new Request("http://localhost/api/auth/dev-signin", { method: "DELETE" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: null });
    const line = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
    expect(line).toMatch(/Max-Age=0/i);
  });
});

describe("GET /api/session", () => {
  it("reports the signed-in user and whether dev sign-in is on", async () => {
    const token = sessionCookieFrom(await signIn(JSON.stringify({ name: "Ada" })));
    const res = await GET(
      new Request("http://localhost/api/session", { headers: { cookie: `${SESSION_COOKIE}=${token}` } }),
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      user: { id: devId("ada"), name: "Ada", plan: "free" },
      dev_signin: true,
      limits: { plan: "free", per_minute: 5, per_hour: 60, concurrent_streams: 2, daily_tokens: 100_000 },
      sign_in_providers: [],
      upgrade_url: null,
      upgrade_plan: null,
      max_message_chars: 32_000,
    });
    env({ AUTH_DEV_SIGNIN: "false" });
    expect(await (await GET(new Request("http://localhost/api/session"))).json()).toMatchObject({
      user: null,
      dev_signin: false,
      limits: { plan: "guest" },
    });
  });

  it("answers 401 JSON for an invalid Bearer token", async () => {
    const res = await GET(
      new Request("http://localhost/api/session", { headers: { authorization: "Bearer x" } }),
    );
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("unauthorized");
  });
});

describe("proxy", () => {
  const forwardedCookie = (res: Response) => res.headers.get("x-middleware-request-cookie");

  it("mints a guest cookie and forwards it to the route handling this request", async () => {
    const res = await proxy(new NextRequest("http://localhost/", { headers: { cookie: "theme=dark%2C1" } }));
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${GUEST_COOKIE}=`)) ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const minted = setCookie.slice(GUEST_COOKIE.length + 1).split(";")[0] ?? "";
    const sessionId = await verifyGuestCookie(minted);
    expect(sessionId).not.toBeNull();
    const forwarded = new Headers({ cookie: forwardedCookie(res) ?? "" });
    expect(readCookie(forwarded, GUEST_COOKIE)).toBe(minted);
    expect(forwarded.get("cookie")).toContain("theme=dark%2C1");
  });

  it("replaces an invalid guest cookie", async () => {
    const res = await proxy(
      new NextRequest("http://localhost/", { headers: { cookie: `${GUEST_COOKIE}=forged` } }),
    );
    const forwarded = new Headers({ cookie: forwardedCookie(res) ?? "" });
    expect(await verifyGuestCookie(readCookie(forwarded, GUEST_COOKIE))).not.toBeNull();
    expect(forwardedCookie(res)).not.toContain("forged");
  });

  it("passes requests with a valid guest cookie straight through", async () => {
    const { cookieValue } = await mintGuestSession();
    const res = await proxy(
      new NextRequest("http://localhost/api/chat", { headers: { cookie: `${GUEST_COOKIE}=${cookieValue}` } }),
    );
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(forwardedCookie(res)).toBeNull();
    expect(res.headers.get("x-middleware-next")).toBe("1");
  });

  it("matches pages but not API routes or static assets", async () => {
    const { unstable_doesMiddlewareMatch } = await import("next/experimental/testing/server");
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config: proxyConfig, url });
    expect(matches("/")).toBe(true);
    expect(matches("/c/123")).toBe(true);
    expect(matches("/apis-page")).toBe(true);
    expect(matches("/api/health")).toBe(false);
    expect(matches("/api/chat/message")).toBe(false);
    expect(matches("/_next/static/chunks/main.js")).toBe(false);
    expect(matches("/_next/image?url=x")).toBe(false);
    expect(matches("/favicon.ico")).toBe(false);
    expect(matches("/logo.svg")).toBe(false);
  });
});
