// Development sign-in (AUTH_DEV_SIGNIN=true): trade a display name for a signed user session cookie.
import { NextResponse } from "next/server";
import { z } from "zod";
import { adoptGuestConversations } from "@/lib/auth/adopt-guest";
import { rememberSignedInName } from "@/lib/auth/remember-name";
import { getConfig } from "@/lib/config";
import { parseWith, readJsonBody } from "@/lib/http/body";
import { ApiError, withErrorHandling } from "@/lib/http/errors";
import { GUEST_COOKIE, readCookie, SESSION_COOKIE, sessionCookieOptions } from "@/lib/identity/cookies";
import {
  DEFAULT_USER_TOKEN_TTL_SECONDS,
  issueUserToken,
  jwtUserId,
  type VerifiedUser,
} from "@/lib/identity/jwt";

const bodySchema = z.object({
  name: z
    .string({ message: "name must be a string" })
    .trim()
    .min(1, "name must not be empty")
    .max(40, "name must be at most 40 characters")
    .regex(/^[A-Za-z0-9 ._-]+$/, "name may only contain letters, digits, spaces and . _ -"),
});

const MAX_BODY_BYTES = 4 * 1024;

function requireEnabled(): void {
  // 404 rather than 403: when disabled, the endpoint should not appear to exist.
  if (!getConfig().auth.devSignin) throw new ApiError("not_found", "Not found.");
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s || "user";
}

function userResponse(user: VerifiedUser | null): NextResponse {
  return NextResponse.json({ user }, { headers: { "Cache-Control": "no-store" } });
}

export const POST = withErrorHandling(async (request: Request) => {
  requireEnabled();
  // JSON only (readJsonBody insists): a cross-site form or no-cors fetch can't send application/json without
  // a CORS preflight, so another site can't sign a visitor in as someone else (login CSRF).
  const { name: rawName } = parseWith(bodySchema, await readJsonBody(request, MAX_BODY_BYTES));
  const name = rawName.replace(/\s+/g, " ");
  const subject = `dev-${slug(name)}`;
  const token = await issueUserToken(subject, name, DEFAULT_USER_TOKEN_TTL_SECONDS);
  // The id identify() will derive from this token: one rule for every JWT (lib/identity/user-id). The name is
  // already what verifying would read back (trimmed, printable, at most 40 characters).
  const user: VerifiedUser = { id: jwtUserId("hs256", getConfig().auth.issuer, subject), name };
  // Like a real sign-in: the guest's conversations in this browser move to the account, and the console can
  // find the user by this name.
  await Promise.all([
    adoptGuestConversations(user.id, readCookie(request.headers, GUEST_COOKIE)),
    rememberSignedInName(user.id, name),
  ]);
  const response = userResponse(user);
  response.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(DEFAULT_USER_TOKEN_TTL_SECONDS));
  return response;
});

// Signing out always works, even after AUTH_DEV_SIGNIN was turned off: clearing a cookie grants nothing.
export const DELETE = withErrorHandling(async (_request: Request) => {
  const response = userResponse(null);
  response.cookies.set(SESSION_COOKIE, "", sessionCookieOptions(0));
  return response;
});
