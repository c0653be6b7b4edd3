// GET /api/conversations/:id/stream — the reply being written (replayed, then live) or 204; DELETE stops it (202).
// Only the conversation's owner (404 otherwise); never counted as a message.
import { z } from "zod";
import { parseWith } from "@/lib/http/body";
import { ApiError, withErrorHandling } from "@/lib/http/errors";
import { assertSameOrigin } from "@/lib/http/guards";
import { identify, requireOwner } from "@/lib/identity/identify";
import { resumeResponse } from "@/lib/reply-stream/resume";
import { requireStore } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";
import { idSchema } from "@/lib/wire/schemas";

export const dynamic = "force-dynamic";
// Vercel: a tab follows a reply at most as long as the reply itself may run (the chat route's maxDuration).
export const maxDuration = 60;

const paramsSchema = z.object({ id: idSchema });
const knownSchema = z.object({
  last: z.string().max(200).optional(),
  seen: z.string().max(200).optional(),
});

interface Context {
  params: Promise<{ id: string }>;
}

const notFound = () => new ApiError("not_found", "No conversation with this id.");

export const GET = withErrorHandling(async (request: Request, context: Context) => {
  const { id } = parseWith(paramsSchema, await context.params);
  const known = parseWith(knownSchema, Object.fromEntries(new URL(request.url).searchParams));
  const owner = requireOwner(await identify(request));
  const { replies } = services();
  const latest = await requireStore(() => replies.latest(owner, id));
  if (!latest.owned) throw notFound();
  return resumeResponse(replies, latest, known);
});

export const DELETE = withErrorHandling(async (request: Request, context: Context) => {
  assertSameOrigin(request);
  const { id } = parseWith(paramsSchema, await context.params);
  const owner = requireOwner(await identify(request));
  const outcome = await requireStore(() => services().replies.requestStop(owner, id));
  if (outcome === "not_found") throw notFound();
  // 202: the reply will stop (within a second, wherever it is written); 204: none was running.
  return outcome === "stopping"
    ? Response.json({ stopping: true }, { status: 202 })
    : new Response(null, { status: 204 });
});
