// Anonymous guest sessions: an HS256-signed token in an httpOnly cookie, never usable as a user token.
import { errors, jwtVerify, SignJWT } from "jose";
import { GUEST_MAX_AGE_SECONDS } from "./cookies";
import { getAuthHmacKey } from "./secret";

// Re-exported so callers can get everything about guest/session cookies from one module.
export {
  type CookieOptions,
  GUEST_COOKIE,
  guestCookieOptions,
  SESSION_COOKIE,
  sessionCookieOptions,
} from "./cookies";

/**
 * Guest tokens share the HS256 secret with user tokens, so they carry their own `typ` header and
 * audience: verifyGuestCookie demands both, and verifyUserToken (./jwt) refuses either.
 */
export const GUEST_TOKEN_TYP = "chat-guest+jwt";
export const GUEST_TOKEN_AUDIENCE = "chat:guest";

const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

export async function mintGuestSession(): Promise<{ sessionId: string; cookieValue: string }> {
  const sessionId = crypto.randomUUID().replaceAll("-", "");
  const cookieValue = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: GUEST_TOKEN_TYP })
    .setSubject(sessionId)
    .setAudience(GUEST_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${GUEST_MAX_AGE_SECONDS}s`)
    .sign(await getAuthHmacKey());
  return { sessionId, cookieValue };
}

/** The session id of a valid, unexpired guest cookie; null for any other value. */
export async function verifyGuestCookie(value: string | undefined): Promise<string | null> {
  if (!value || value.length > 1024) return null;
  try {
    const { payload } = await jwtVerify(value, await getAuthHmacKey(), {
      algorithms: ["HS256"],
      typ: GUEST_TOKEN_TYP,
      audience: GUEST_TOKEN_AUDIENCE,
      requiredClaims: ["exp", "sub"],
    });
    return typeof payload.sub === "string" && SESSION_ID.test(payload.sub) ? payload.sub : null;
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
