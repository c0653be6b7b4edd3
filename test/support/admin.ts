// Test helper: the operator console's route handlers called by method and path, with an admin's credentials.
import { GET as auditGet } from "@/app/api/admin/audit/route";
import { DELETE as blocksDelete, GET as blocksGet, POST as blocksPost } from "@/app/api/admin/blocks/route";
import { POST as resetPost } from "@/app/api/admin/limits/reset/route";
import { GET as limitsGet } from "@/app/api/admin/limits/route";
import { GET as statsGet } from "@/app/api/admin/stats/route";
import { GET as usersGet } from "@/app/api/admin/users/route";
import { SESSION_COOKIE } from "@/lib/identity/cookies";
import { userKey } from "@/lib/identity/identify";
import { jwtUserId } from "@/lib/identity/jwt";
import { type Caller, requestFor } from "./app";

export const ADMIN_TOKEN = "route-test-admin-token-0123456789abcdefghij";
export const ADMIN_USER = "ops-admin";
/** The admin user's key, as its `userToken(ADMIN_USER)` signs it in (no AUTH_ISSUER in route tests). */
export const ADMIN_USER_KEY = userKey(jwtUserId("hs256", undefined, ADMIN_USER));
/** The env every admin suite adds: the token, and one admin user among others. */
export const ADMIN_ENV = { ADMIN_TOKEN, ADMIN_USER_IDS: `user:someone-else, ${ADMIN_USER_KEY}` };

/** The operator's API client: the admin token, from an address no chat test uses. */
export const operator: Caller = { bearer: ADMIN_TOKEN, ip: "192.0.2.250" };

const handlers: Record<string, (request: Request) => Promise<Response>> = {
  "GET /api/admin/limits": limitsGet,
  "POST /api/admin/limits/reset": resetPost,
  "GET /api/admin/blocks": blocksGet,
  "POST /api/admin/blocks": blocksPost,
  "DELETE /api/admin/blocks": blocksDelete,
  "GET /api/admin/stats": statsGet,
  "GET /api/admin/audit": auditGet,
  "GET /api/admin/users": usersGet,
};

/** Calls the admin route for `method` and `path` (with its query); a body that is not a string is sent as JSON. */
export function adminCall(method: string, path: string, caller: Caller, body?: unknown): Promise<Response> {
  const handler = handlers[`${method} ${path.split("?")[0]}`];
  if (!handler) throw new Error(`no admin route ${method} ${path}`);
  const text = body === undefined || typeof body === "string" ? body : JSON.stringify(body);
  return handler(requestFor(path, caller, { method, body: text }));
}

/** The JSON of an admin call that must succeed. */
export async function adminJson<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  caller: Caller = operator,
): Promise<T> {
  const response = await adminCall(method, path, caller, body);
  if (response.status !== 200)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A browser with a signed-in session (the chat_session cookie), as the /admin page calls the API. */
export function sessionCaller(
  token: string,
  ip = "192.0.2.251",
  headers: Record<string, string> = {},
): Caller {
  return { ip, headers: { cookie: `${SESSION_COOKIE}=${token}`, ...headers } };
}
