// POST /api/admin/session — ADMIN_TOKEN in, a short-lived operator cookie out (the /admin page's sign-in);
// DELETE ends it. The token itself is never kept in the page.
import { NextResponse } from "next/server";
import { z } from "zod";
import { ADMIN_TOKEN_ACTOR, sameSecret } from "@/lib/admin/auth";
import { mintOperatorSession, OPERATOR_COOKIE, operatorCookieOptions } from "@/lib/admin/operator-session";
import { getConfig } from "@/lib/config";
import { parseWith, readJsonBody } from "@/lib/http/body";
import { ApiError, withErrorHandling } from "@/lib/http/errors";
import { assertJsonBody, assertSameOrigin } from "@/lib/http/guards";

const bodySchema = z
  .object({ token: z.string({ message: "token must be a string" }).min(1).max(512) })
  .strict();

export const POST = withErrorHandling(async (request: Request) => {
  assertSameOrigin(request);
  assertJsonBody(request);
  const { token } = parseWith(bodySchema, await readJsonBody(request, 2 * 1024));
  const expected = getConfig().admin.token;
  if (!expected || !sameSecret(token.trim(), expected)) {
    throw new ApiError("unauthorized", "That is not this app's operator token (ADMIN_TOKEN).");
  }
  const session = await mintOperatorSession();
  const response = NextResponse.json(
    { actor: ADMIN_TOKEN_ACTOR, expires_at: new Date(session.expiresAt).toISOString() },
    { headers: { "Cache-Control": "no-store" } },
  );
  const maxAge = Math.floor((session.expiresAt - Date.now()) / 1000);
  response.cookies.set(OPERATOR_COOKIE, session.value, operatorCookieOptions(maxAge));
  return response;
});

export const DELETE = withErrorHandling(async (request: Request) => {
  assertSameOrigin(request);
  const response = NextResponse.json({ actor: null }, { headers: { "Cache-Control": "no-store" } });
  response.cookies.set(OPERATOR_COOKIE, "", operatorCookieOptions(0));
  return response;
});
