// The operator cookie: ADMIN_TOKEN typed into /admin once, exchanged for a short-lived signed HttpOnly cookie.
import { createHash } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { getConfig } from "../config";
import { readCookie } from "../identity/cookies";
import { getAuthHmacKey } from "../identity/secret";

export const OPERATOR_COOKIE = "chat_operator";
/** Its own `typ` and audience: never accepted as a user or guest token (lib/identity/jwt.ts refuses the typ). */
export const OPERATOR_TOKEN_TYP = "chat-operator+jwt";
const OPERATOR_AUDIENCE = "chat:operator";
/** Short-lived: an operator types the token again after an hour (a console left open on a shared screen). */
export const OPERATOR_SESSION_SECONDS = 60 * 60;

/**
 * Names the ADMIN_TOKEN it was made from (a hash, never the token): rotating ADMIN_TOKEN ends every operator
 * session at once, and unsetting it ends them too.
 */
function tokenTag(token: string): string {
  return createHash("sha256").update(`operator-session:${token}`).digest("base64url").slice(0, 22);
}

export async function mintOperatorSession(now = Date.now()): Promise<{ value: string; expiresAt: number }> {
  const token = getConfig().admin.token;
  if (!token) throw new Error("no ADMIN_TOKEN");
  const expiresAt = now + OPERATOR_SESSION_SECONDS * 1000;
  const value = await new SignJWT({ tag: tokenTag(token) })
    .setProtectedHeader({ alg: "HS256", typ: OPERATOR_TOKEN_TYP })
    .setSubject("admin-token")
    .setAudience(OPERATOR_AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(await getAuthHmacKey());
  return { value, expiresAt };
}

/** Whether the request carries a valid, unexpired operator cookie for the current ADMIN_TOKEN. */
export async function hasOperatorSession(headers: Headers): Promise<boolean> {
  const token = getConfig().admin.token;
  const value = readCookie(headers, OPERATOR_COOKIE);
  if (!token || !value || value.length > 1024) return false;
  try {
    const { payload } = await jwtVerify(value, await getAuthHmacKey(), {
      algorithms: ["HS256"],
      typ: OPERATOR_TOKEN_TYP,
      audience: OPERATOR_AUDIENCE,
      requiredClaims: ["exp"],
    });
    return payload.tag === tokenTag(token);
  } catch (error) {
    if (error instanceof errors.JOSEError) return false;
    throw error;
  }
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure in production. */
export function operatorCookieOptions(maxAge: number) {
  return {
    httpOnly: true,
    secure: getConfig().isProduction,
    sameSite: "strict" as const,
    path: "/",
    maxAge,
  };
}
