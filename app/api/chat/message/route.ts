// POST /api/chat/message — identify → limit → validate → credits → stream (→ persist on finish).
import { streamChatReply } from "@/lib/chat/reply";
import { assertCreditsLeft } from "@/lib/credits";
import { parseWith, readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { identifyCaller, withOwner } from "@/lib/identity/identify";
import { enforceChatLimits } from "@/lib/ratelimit/enforce";
import { chatRequestSchema, MAX_CHAT_BODY_BYTES } from "./schema";

export const dynamic = "force-dynamic";
// Vercel: long enough for a slow model to finish a reply.
export const maxDuration = 60;

export const POST = withErrorHandling(async (request: Request) => {
  const caller = await identifyCaller(request);
  const { headers } = await enforceChatLimits(caller);
  const { id, message } = parseWith(chatRequestSchema, await readJsonBody(request, MAX_CHAT_BODY_BYTES));
  await assertCreditsLeft(caller.limitKey);
  const identity = await withOwner(request, caller);
  return streamChatReply({ identity, conversationId: id, message, signal: request.signal, headers });
});
