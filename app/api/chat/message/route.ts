// POST /api/chat/message — identify → admit → stream. Every refusal is decided in lib/admission.
import { NextResponse } from "next/server";
import { admit, refuseFromCache } from "@/lib/admission";
import { streamChatReply } from "@/lib/chat/reply";
import { getConfig } from "@/lib/config";
import { discardBody, parseWith, readJsonBody } from "@/lib/http/body";
import { ApiError, errorToResponse } from "@/lib/http/errors";
import { assertDeclaredSize, assertJsonBody, assertSameOrigin } from "@/lib/http/guards";
import { GUEST_COOKIE, guestCookieOptions, mintGuestSession } from "@/lib/identity/guest";
import { identifyCaller, withOwner } from "@/lib/identity/identify";
import { knownModel } from "@/lib/models/choice";
import { maxChatBodyBytes } from "@/lib/wire/limits";
import { chatRequestSchema } from "@/lib/wire/schemas";

export const dynamic = "force-dynamic";
// Vercel: long enough for a slow model to finish a reply. The reply runs on after the client left (after()),
// within this bound; it is cut off a few seconds before, so that it is still stored and billed.
export const maxDuration = 60;
const REPLY_TIME_LIMIT_MS = (maxDuration - 5) * 1000;
/** How long a refused caller's body may take to arrive before its connection is closed instead. */
const UNREAD_BODY_GRACE_MS = 1_000;

export async function POST(request: Request): Promise<Response> {
  let unreadBody = true;
  const { maxMessageChars } = getConfig();
  const maxBodyBytes = maxChatBodyBytes(maxMessageChars);
  try {
    // Refused from the headers alone, before anything is counted: a cross-site, non-JSON or oversized request.
    assertSameOrigin(request);
    assertJsonBody(request);
    assertDeclaredSize(request, maxBodyBytes);
    const caller = await identifyCaller(request);
    refuseFromCache(caller);

    const body = parseWith(chatRequestSchema(maxMessageChars), await readJsonBody(request, maxBodyBytes));
    unreadBody = false;
    const identity = await withOwner(request, caller);
    // A caller without a session gets one with its first reply: conversations are never owned by an IP.
    const guest = identity.owner ? null : await mintGuestSession();
    const owner = identity.owner ?? `guest:${guest?.sessionId}`;
    const message = body.intent === "regenerate" ? undefined : body.message;
    const model = knownModel(body.model);
    const admitted = await admit({
      caller,
      owner,
      conversationId: body.id,
      intent: body.intent,
      message,
      model,
      lastMessageId: body.intent === "send" ? undefined : body.last_message_id,
    });
    const reply = await streamChatReply({
      admitted,
      intent: body.intent,
      message,
      owner,
      conversationId: body.id,
      timeLimitMs: REPLY_TIME_LIMIT_MS,
    });
    if (!guest) return reply;
    const withCookie = new NextResponse(reply.body, reply);
    withCookie.cookies.set(GUEST_COOKIE, guest.cookieValue, guestCookieOptions());
    return withCookie;
  } catch (error) {
    const response = errorToResponse(error);
    // A limited or cross-site caller refused before its body was read: its body is read and dropped if it
    // arrives at once (the connection stays alive for its next request), else the connection is closed
    // rather than held while a body drips in for minutes (until Node's request timeout). Not for an honest
    // mistake (413, 415): a client still uploading would see a reset instead of the JSON answer.
    if (unreadBody && error instanceof ApiError && (error.status === 429 || error.status === 403)) {
      if (!(await discardBody(request, maxBodyBytes, UNREAD_BODY_GRACE_MS))) {
        response.headers.set("Connection", "close");
      }
    }
    return response;
  }
}
