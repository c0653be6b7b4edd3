// Cookie names, flags and a Cookie-header reader that works on a plain Request (no next/headers scope).
import { getConfig } from "@/lib/config";

/** Anonymous guest session: a signed guest token (see ./guest). */
export const GUEST_COOKIE = "chat_guest";
/** Signed-in user session: a user JWT (dev sign-in, or an app's own auth). */
export const SESSION_COOKIE = "chat_session";

/** ~1 year; browsers cap cookie lifetimes at 400 days anyway. */
export const GUEST_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export interface CookieOptions {
  httpOnly: true;
  secure: boolean;
  sameSite: "lax";
  path: "/";
  maxAge: number;
}

function baseOptions(maxAge: number): CookieOptions {
  // Secure only in production so plain-http `next dev` keeps working; browsers treat localhost as secure.
  return { httpOnly: true, secure: getConfig().isProduction, sameSite: "lax", path: "/", maxAge };
}

export function guestCookieOptions(): CookieOptions {
  return baseOptions(GUEST_MAX_AGE_SECONDS);
}

/** `maxAge` 0 clears the cookie (same flags, or some browsers keep the original). */
export function sessionCookieOptions(maxAge: number): CookieOptions {
  return baseOptions(maxAge);
}

/** The first value of cookie `name` in a Cookie header, or undefined. Malformed %-escapes are ignored. */
export function readCookie(headers: Headers, name: string): string | undefined {
  const header = headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A Cookie header with `name` set to `value`, leaving every other pair byte-for-byte as it was
 * (re-serialising through a parser would re-encode other apps' cookies).
 */
export function withCookie(header: string | null, name: string, value: string): string {
  const others = (header ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && part.slice(0, Math.max(0, part.indexOf("="))).trim() !== name);
  return [...others, `${name}=${encodeURIComponent(value)}`].join("; ");
}
