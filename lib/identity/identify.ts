// Who is calling (verified user, guest session or bare IP) and which keys own their data and quota.
import { userFromAuthSession } from "@/lib/auth/session-cookie";
import { getConfig } from "@/lib/config";
import { ApiError } from "@/lib/http/errors";
import { clientIpFromHeaders } from "./client-ip";
import { GUEST_COOKIE, readCookie, SESSION_COOKIE } from "./cookies";
import { verifyGuestCookie } from "./guest";
import { type VerifiedUser, verifyUserToken } from "./jwt";
import { deriveUserId } from "./user-id";

export type { VerifiedUser } from "./jwt";

/** A signed-in user's limit key, credits key and conversation owner. */
export function userKey(userId: string): string {
  return `user:${userId}`;
}

/** The conversation owner of a guest session (the `chat_guest` cookie). */
export function guestOwner(sessionId: string): string {
  return `guest:${sessionId}`;
}

/** What the limiter needs: who is calling and from where. Costs no guest-cookie verification. */
export interface Caller {
  /**
   * Trusted X-User-Id (gateway mode), else a verified Bearer JWT, else the Auth.js session cookie (UI
   * sign-in), else the `chat_session` cookie's JWT (dev sign-in).
   */
  user: VerifiedUser | null;
  clientIp: string;
  /**
   * Per-user rate-limit and credits key: `user:<id>`, else `ip:<clientIp>`. Guests are keyed by IP
   * because a guest cookie can be dropped and reminted at will.
   */
  limitKey: string;
}

export interface Identity extends Caller {
  /** From a valid guest cookie (minted by proxy.ts on page loads, or handed out with a first chat reply). */
  guestSessionId: string | null;
  /**
   * Who owns conversations: `user:<id>` or `guest:<sessionId>` — never an IP address, which a whole office
   * or IPv6 /64 shares. Null for a caller with neither: it can't list, read or delete anything.
   */
  owner: string | null;
}

// Gateway-supplied ids end up inside storage keys: a conservative alphabet (no ':', spaces, controls).
const USER_ID_HEADER = /^[A-Za-z0-9._@|+=-]{1,128}$/;

function unauthorized(message: string): ApiError {
  return new ApiError("unauthorized", message, {}, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
}

/**
 * Decision: an invalid `Authorization: Bearer` token is a 401, not "anonymous". The caller presented
 * an explicit credential; silently downgrading would hide an expired token (the client never learns
 * to refresh) and bill the user's requests to the shared IP bucket. A bad or stale session cookie, by
 * contrast, is ambient browser state and is simply ignored. Non-Bearer schemes are ignored too.
 */
async function userFromRequest(headers: Headers, trustUserIdHeader: boolean): Promise<VerifiedUser | null> {
  if (trustUserIdHeader) {
    // Gateway mode: the authenticating gateway sets (and must strip client copies of) this header,
    // so it wins over tokens. Without the flag it is ignored: any client can send it.
    const raw = headers.get("x-user-id");
    if (raw !== null) {
      const id = raw.trim();
      if (!USER_ID_HEADER.test(id)) throw unauthorized("Invalid X-User-Id header.");
      return { id: deriveUserId("gateway", "x-user-id", id), name: id };
    }
  }

  const authorization = headers.get("authorization");
  if (authorization !== null && /^bearer(\s|$)/i.test(authorization.trim())) {
    const token = authorization.trim().slice("bearer".length).trim();
    const user = token && !/\s/.test(token) ? await verifyUserToken(token) : null;
    if (!user) throw unauthorized("Invalid or expired bearer token.");
    return user;
  }

  const account = await userFromAuthSession(headers);
  if (account) return account;
  const session = readCookie(headers, SESSION_COOKIE);
  return session ? verifyUserToken(session) : null;
}

/**
 * Identifies the caller of `request` for limiting. Throws ApiError 401 for an invalid Bearer token or
 * (gateway mode) a malformed X-User-Id, and 503 when the JWKS endpoint is unreachable.
 */
export async function identifyCaller(request: Request): Promise<Caller> {
  const config = getConfig();
  const headers = request.headers;
  const user = await userFromRequest(headers, config.auth.trustUserIdHeader);
  const clientIp = clientIpFromHeaders(headers, {
    onVercel: config.onVercel,
    trustedHops: config.proxy.trustedHops,
    ipv6Subnet: config.proxy.ipv6Subnet,
  });
  return { user, clientIp, limitKey: user ? userKey(user.id) : `ip:${clientIp}` };
}

/**
 * Adds the conversation owner to an identified caller. Separate so the chat route verifies the guest
 * cookie (an HMAC) only after a refusal from the local cache had its chance: that stays the cheapest answer.
 */
export async function withOwner(request: Request, caller: Caller): Promise<Identity> {
  if (caller.user) return { ...caller, guestSessionId: null, owner: caller.limitKey };
  const guestSessionId = await verifyGuestCookie(readCookie(request.headers, GUEST_COOKIE));
  return { ...caller, guestSessionId, owner: guestSessionId ? guestOwner(guestSessionId) : null };
}

/** identifyCaller + withOwner, for routes that need the owner anyway. Throws as identifyCaller does. */
export async function identify(request: Request): Promise<Identity> {
  return withOwner(request, await identifyCaller(request));
}

/** The owner of the caller's conversations; 401 for a caller with neither a user nor a guest session. */
export function requireOwner(identity: Identity): string {
  if (identity.owner) return identity.owner;
  throw new ApiError(
    "unauthorized",
    "No session: send the chat_guest cookie your first chat reply set, or sign in (Authorization: Bearer).",
  );
}
