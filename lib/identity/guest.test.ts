import { SignJWT } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { envForTests, TEST_SECRET } from "@/test/support/env";
import { GUEST_COOKIE, readCookie, SESSION_COOKIE, withCookie } from "./cookies";
import { guestCookieOptions, mintGuestSession, sessionCookieOptions, verifyGuestCookie } from "./guest";
import { issueUserToken } from "./jwt";
import { getAuthSecretKey } from "./secret";

const env = envForTests({ AUTH_SECRET: TEST_SECRET, NODE_ENV: "test" });
beforeEach(() => env());

describe("guest sessions", () => {
  it("mints a cookie that verifies to its session id", async () => {
    const a = await mintGuestSession();
    const b = await mintGuestSession();
    expect(a.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(await verifyGuestCookie(a.cookieValue)).toBe(a.sessionId);
  });

  it("rejects missing, garbage, tampered and foreign-key cookies", async () => {
    const { cookieValue } = await mintGuestSession();
    expect(await verifyGuestCookie(undefined)).toBeNull();
    expect(await verifyGuestCookie("")).toBeNull();
    expect(await verifyGuestCookie("not-a-jwt")).toBeNull();
    const [h, p, s] = cookieValue.split(".");
    expect(await verifyGuestCookie(`${h}.${p}x.${s}`)).toBeNull();
    expect(await verifyGuestCookie(`${h}.${p}.${s?.slice(0, -2)}AA`)).toBeNull();
    env({ AUTH_SECRET: "a-different-secret-0123456789abcdef0123456789" });
    expect(await verifyGuestCookie(cookieValue)).toBeNull();
  });

  it("never accepts a user token as a guest cookie", async () => {
    expect(await verifyGuestCookie(await issueUserToken("0123456789abcdef0123", "x"))).toBeNull();
  });

  it("demands the guest typ header, not just the guest audience", async () => {
    const noTyp = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("0123456789abcdef0123456789abcdef")
      .setAudience("chat:guest")
      .setExpirationTime("1h")
      .sign(getAuthSecretKey());
    expect(await verifyGuestCookie(noTyp)).toBeNull();
  });

  it("rejects expired guest tokens", async () => {
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "chat-guest+jwt" })
      .setSubject("0123456789abcdef0123456789abcdef")
      .setAudience("chat:guest")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(getAuthSecretKey());
    expect(await verifyGuestCookie(expired)).toBeNull();
  });
});

describe("cookie options", () => {
  it("are httpOnly, SameSite=Lax, path /, Secure only in production", () => {
    expect(guestCookieOptions()).toEqual({
      httpOnly: true,
      secure: false,
      sameSite: "lax",
      path: "/",
      maxAge: 365 * 24 * 60 * 60,
    });
    expect(sessionCookieOptions(60)).toMatchObject({ httpOnly: true, secure: false, maxAge: 60 });
    env({ NODE_ENV: "production" });
    expect(guestCookieOptions().secure).toBe(true);
    expect(sessionCookieOptions(0).secure).toBe(true);
  });

  it("use distinct names", () => {
    expect(GUEST_COOKIE).toBe("chat_guest");
    expect(SESSION_COOKIE).toBe("chat_session");
  });
});

describe("readCookie / withCookie", () => {
  const headers = (cookie: string) => new Headers({ cookie });

  it("reads one cookie among many", () => {
    expect(readCookie(headers("a=1; chat_guest=abc.def; b=2"), "chat_guest")).toBe("abc.def");
    expect(readCookie(headers("xchat_guest=1; chat_guest_x=2"), "chat_guest")).toBeUndefined();
    expect(readCookie(headers('chat_guest="q%20v"'), "chat_guest")).toBe("q v");
    expect(readCookie(headers("chat_guest=%E0%A4%A"), "chat_guest")).toBeUndefined();
    expect(readCookie(new Headers(), "chat_guest")).toBeUndefined();
  });

  it("replaces only the named cookie and leaves others byte-for-byte", () => {
    expect(withCookie(null, "chat_guest", "t")).toBe("chat_guest=t");
    expect(withCookie("a=x%2Cy; chat_guest=old; flag; b=2", "chat_guest", "new")).toBe(
      "a=x%2Cy; flag; b=2; chat_guest=new",
    );
  });
});

describe("ephemeral secret", () => {
  it("is generated once, warned about once, and reused", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    env({ AUTH_SECRET: undefined });
    const first = getAuthSecretKey();
    env({ AUTH_SECRET: undefined });
    expect(getAuthSecretKey()).toBe(first);
    expect(first).toHaveLength(32);
    const { cookieValue, sessionId } = await mintGuestSession();
    expect(await verifyGuestCookie(cookieValue)).toBe(sessionId);
    // Switching to a configured secret and back keeps the same ephemeral one (and no second warning).
    env({ AUTH_SECRET: TEST_SECRET });
    expect(getAuthSecretKey()).toEqual(new TextEncoder().encode(TEST_SECRET));
    env({ AUTH_SECRET: undefined });
    expect(getAuthSecretKey()).toEqual(first);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      "AUTH_SECRET not set: using an ephemeral secret; sessions reset on restart",
    );
    warn.mockRestore();
  });
});
