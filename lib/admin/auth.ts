// Who may use the operator console: the ADMIN_TOKEN bearer (or the operator cookie it was exchanged for at
// /admin), or a signed-in user listed in ADMIN_USER_IDS.
import { createHash, timingSafeEqual } from "node:crypto";
import { getConfig } from "../config";
import { ApiError } from "../http/errors";
import { identifyCaller, userKey, type VerifiedUser } from "../identity/identify";
import { ADMIN_TOKEN_ACTOR } from "../wire/admin";
import { hasOperatorSession } from "./operator-session";
import { limitOperatorRequest } from "./rate-limit";

/** The audit log's name for whoever acts: `admin-token`, or the admin's user key. */
export { ADMIN_TOKEN_ACTOR };

export type AdminAccess =
  | { kind: "admin"; actor: string }
  | { kind: "anonymous" }
  | { kind: "not_admin"; user: VerifiedUser };

/**
 * How the request stands with the console. Throws ApiError 401 for a bearer token that is neither
 * ADMIN_TOKEN nor a valid user token (as every route does), 503 when the JWKS endpoint is unreachable.
 */
export async function adminAccess(request: Request): Promise<AdminAccess> {
  const { admin } = getConfig();
  const token = bearerToken(request.headers);
  if (token !== null && admin.token !== undefined && sameSecret(token, admin.token)) {
    return { kind: "admin", actor: ADMIN_TOKEN_ACTOR };
  }
  // ADMIN_TOKEN typed into /admin: the operator cookie it was exchanged for acts as the token.
  if (token === null && (await hasOperatorSession(request.headers))) {
    return { kind: "admin", actor: ADMIN_TOKEN_ACTOR };
  }
  const { user } = await identifyCaller(request);
  if (!user) return { kind: "anonymous" };
  const key = userKey(user.id);
  return admin.userKeys.includes(key) ? { kind: "admin", actor: key } : { kind: "not_admin", user };
}

/**
 * The admin's actor name, or the 401/403 every admin route answers first — before reading any input, so a
 * non-admin learns nothing about keys, blocks or counts (not even whether their input was well formed) —
 * then the 429 of an operator over their per-minute limit (./rate-limit.ts).
 */
export async function requireAdmin(request: Request): Promise<string> {
  const access = await adminAccess(request);
  if (access.kind === "admin") {
    await limitOperatorRequest(access.actor, request.method, Date.now());
    return access.actor;
  }
  if (access.kind === "anonymous") {
    throw new ApiError(
      "unauthorized",
      "Sign in with an operator account, or send Authorization: Bearer <ADMIN_TOKEN>.",
      {},
      { "WWW-Authenticate": 'Bearer realm="admin"' },
    );
  }
  throw new ApiError("forbidden", "This account is not an operator of this app.");
}

/**
 * The /admin page's view of its visitor (from the page request's headers): a browser never sends a bearer
 * token, so a 401 can't happen there; a JWKS outage (503) is "unavailable" rather than a crashed page.
 */
export async function adminPageAccess(headers: Headers): Promise<AdminAccess | { kind: "unavailable" }> {
  try {
    return await adminAccess(new Request("http://localhost/admin", { headers }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { kind: "anonymous" };
    if (error instanceof ApiError) return { kind: "unavailable" };
    throw error;
  }
}

function bearerToken(headers: Headers): string | null {
  const match = /^bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes before the comparison. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
