// The Auth.js session cookie: its name and flags, and reading the signed-in user from it.
import { decode } from "next-auth/jwt";
import { type CookieOptions, readCookie, sessionCookieOptions } from "@/lib/identity/cookies";
import type { VerifiedUser } from "@/lib/identity/jwt";
import { getAuthSecretString } from "@/lib/identity/secret";
import { USER_ID_PATTERN } from "@/lib/identity/user-id";

/** Auth.js's encrypted session (a JWE holding only `sub` = user.id and `name`). */
export const AUTH_SESSION_COOKIE = "chat_auth";
/** Auth.js's default session length; each visit to /api/auth/session renews it. */
export const AUTH_SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
const MAX_COOKIE_LENGTH = 4096;

/** Same flags as every cookie of ours (httpOnly, SameSite=Lax, Secure in production). */
export function authSessionCookieOptions(): Omit<CookieOptions, "maxAge"> {
  const { maxAge: _, ...options } = sessionCookieOptions(AUTH_SESSION_MAX_AGE_SECONDS);
  return options;
}

/**
 * The user of a valid, unexpired Auth.js session cookie, else null (absent, tampered, expired, or made
 * with another secret). The id was derived at sign-in (lib/auth/options.ts), so it is only checked here.
 */
export async function userFromAuthSession(headers: Headers): Promise<VerifiedUser | null> {
  const token = readCookie(headers, AUTH_SESSION_COOKIE);
  if (!token || token.length > MAX_COOKIE_LENGTH) return null;
  try {
    const payload = await decode({ token, secret: getAuthSecretString() });
    const id = payload?.sub;
    if (typeof id !== "string" || !USER_ID_PATTERN.test(id)) return null;
    const name = typeof payload?.name === "string" && payload.name ? payload.name : id;
    return { id, name };
  } catch {
    // jose refuses a bad or expired token by throwing; for an ambient cookie that just means "not signed in".
    return null;
  }
}
