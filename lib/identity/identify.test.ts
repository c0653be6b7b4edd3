import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/http/errors";
import { envForTests, TEST_SECRET } from "@/test/support/env";
import { GUEST_COOKIE, SESSION_COOKIE } from "./cookies";
import { mintGuestSession } from "./guest";
import { identify, identifyCaller, requireOwner, withOwner } from "./identify";
import { issueUserToken } from "./jwt";
import { deriveUserId } from "./user-id";

const env = envForTests({
  AUTH_SECRET: TEST_SECRET,
  TRUST_USER_ID_HEADER: undefined,
  TRUSTED_PROXY_HOPS: undefined,
  VERCEL: undefined,
  AUTH_JWKS_URL: undefined,
  AUTH_ISSUER: undefined,
  AUTH_AUDIENCE: undefined,
});
beforeEach(() => env());

const hsId = (sub: string) => deriveUserId("jwt", "hs256:", sub);

function request(headers: Record<string, string>): Request {
  return new Request("http://localhost/api/chat", { headers });
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("identify", () => {
  it("anonymous without cookies: limited by IP, but owns nothing (never an IP owner)", async () => {
    const id = await identify(request({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }));
    expect(id).toEqual({
      user: null,
      guestSessionId: null,
      clientIp: "203.0.113.7",
      owner: null,
      limitKey: "ip:203.0.113.7",
    });
    const error = (() => {
      try {
        requireOwner(id);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(error).toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("guest: owns by session, but is limited by IP", async () => {
    const { sessionId, cookieValue } = await mintGuestSession();
    const id = await identify(
      request({ cookie: `${GUEST_COOKIE}=${cookieValue}`, "x-forwarded-for": "203.0.113.7" }),
    );
    expect(id.guestSessionId).toBe(sessionId);
    expect(id.owner).toBe(`guest:${sessionId}`);
    expect(id.limitKey).toBe("ip:203.0.113.7");
  });

  it("identifyCaller gives the limiter its keys without the guest cookie; withOwner adds the owner", async () => {
    const { sessionId, cookieValue } = await mintGuestSession();
    const req = request({ cookie: `${GUEST_COOKIE}=${cookieValue}`, "x-forwarded-for": "203.0.113.7" });
    const caller = await identifyCaller(req);
    expect(caller).toEqual({ user: null, clientIp: "203.0.113.7", limitKey: "ip:203.0.113.7" });
    expect(await withOwner(req, caller)).toEqual({
      ...caller,
      guestSessionId: sessionId,
      owner: `guest:${sessionId}`,
    });
  });

  it("ignores a forged guest cookie", async () => {
    const id = await identify(
      request({ cookie: `${GUEST_COOKIE}=forged`, "x-forwarded-for": "203.0.113.7" }),
    );
    expect(id.guestSessionId).toBeNull();
    expect(id.owner).toBeNull();
  });

  it("user from the session cookie owns and is limited by user id", async () => {
    const { cookieValue } = await mintGuestSession();
    const token = await issueUserToken("dev-ada", "Ada");
    const id = await identify(
      request({ cookie: `${SESSION_COOKIE}=${token}; ${GUEST_COOKIE}=${cookieValue}` }),
    );
    expect(id.user).toEqual({ id: hsId("dev-ada"), name: "Ada" });
    expect(id.owner).toBe(`user:${hsId("dev-ada")}`);
    expect(id.limitKey).toBe(`user:${hsId("dev-ada")}`);
    // A signed-in user owns by user id; the guest cookie beside it is not even verified.
    expect(id.guestSessionId).toBeNull();
  });

  it("an invalid session cookie is ignored (anonymous, not an error)", async () => {
    const id = await identify(request({ cookie: `${SESSION_COOKIE}=garbage` }));
    expect(id.user).toBeNull();
  });

  it("Bearer beats the session cookie", async () => {
    const cookie = await issueUserToken("cookie-user", "C");
    const bearer = await issueUserToken("bearer-user", "B");
    const id = await identify(
      request({ cookie: `${SESSION_COOKIE}=${cookie}`, authorization: `Bearer ${bearer}` }),
    );
    expect(id.user?.id).toBe(hsId("bearer-user"));
    expect(id.limitKey).toBe(`user:${hsId("bearer-user")}`);
  });

  it("an invalid Bearer token is a 401 with WWW-Authenticate", async () => {
    for (const authorization of ["Bearer nope", "Bearer ", "bearer a.b.c", "Bearer a b"]) {
      const error = await rejection(identify(request({ authorization })));
      expect(error.status).toBe(401);
      expect(error.headers["WWW-Authenticate"]).toContain("invalid_token");
    }
    const expired = await new SignJWT({ sub: "u1" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect((await rejection(identify(request({ authorization: `Bearer ${expired}` })))).code).toBe(
      "unauthorized",
    );
  });

  it("a guest cookie presented as a Bearer token is a 401", async () => {
    const { cookieValue } = await mintGuestSession();
    expect((await rejection(identify(request({ authorization: `Bearer ${cookieValue}` })))).status).toBe(401);
  });

  it("ignores non-Bearer Authorization schemes", async () => {
    const id = await identify(request({ authorization: "Basic dXNlcjpwYXNz" }));
    expect(id.user).toBeNull();
  });

  it("ignores a forged X-User-Id by default", async () => {
    const id = await identify(request({ "x-user-id": "admin", "x-forwarded-for": "203.0.113.7" }));
    expect(id.user).toBeNull();
    expect(id.owner).toBeNull();
    expect(id.limitKey).toBe("ip:203.0.113.7");
  });

  it("honours X-User-Id with TRUST_USER_ID_HEADER=true, over tokens", async () => {
    env({ TRUST_USER_ID_HEADER: "true" });
    const bearer = await issueUserToken("bearer-user", "B");
    const id = await identify(request({ "x-user-id": " auth0|abc-123 ", authorization: `Bearer ${bearer}` }));
    const gatewayId = deriveUserId("gateway", "x-user-id", "auth0|abc-123");
    expect(id.user).toEqual({ id: gatewayId, name: "auth0|abc-123" });
    expect(id.owner).toBe(`user:${gatewayId}`);
    expect(id.limitKey).toBe(`user:${gatewayId}`);
    // Without the header, tokens still work in gateway mode.
    expect((await identify(request({ authorization: `Bearer ${bearer}` }))).user?.id).toBe(
      hsId("bearer-user"),
    );
  });

  it("rejects malformed trusted X-User-Id values with 401", async () => {
    env({ TRUST_USER_ID_HEADER: "true" });
    for (const bad of ["", "a:b", "user:admin", "has space", "x".repeat(129), "é"]) {
      expect((await rejection(identify(request({ "x-user-id": bad })))).status, bad).toBe(401);
    }
    expect((await identify(request({ "x-user-id": "x".repeat(128) }))).user?.name).toHaveLength(128);
  });

  it("uses TRUSTED_PROXY_HOPS and VERCEL from config", async () => {
    env({ TRUSTED_PROXY_HOPS: "2" });
    expect((await identify(request({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.1" }))).clientIp).toBe(
      "203.0.113.7",
    );
    env({ VERCEL: "1" });
    expect((await identify(request({ "x-real-ip": "198.51.100.4" }))).limitKey).toBe("ip:198.51.100.4");
  });

  it("no usable IP → the shared unknown bucket", async () => {
    const id = await identify(request({}));
    expect(id.limitKey).toBe("ip:unknown");
  });
});
