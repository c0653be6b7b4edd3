// GET / DELETE /api/conversations/:id — one of the caller's conversations; anyone else's is a 404.
import { z } from "zod";
import { parseWith } from "@/lib/http/body";
import { ApiError, withErrorHandling } from "@/lib/http/errors";
import { identify } from "@/lib/identity/identify";
import { requireStore } from "@/lib/resilience/degrade";
import { getStore } from "@/lib/store";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "is not a conversation id") });

interface Context {
  params: Promise<{ id: string }>;
}

const notFound = () => new ApiError("not_found", "No conversation with this id.");

export const GET = withErrorHandling(async (request: Request, context: Context) => {
  const { id } = parseWith(paramsSchema, await context.params);
  const { owner } = await identify(request);
  const conversation = await requireStore(() => getStore().getConversation(owner, id));
  if (!conversation) throw notFound();
  return Response.json(conversation, { headers: { "Cache-Control": "no-store" } });
});

export const DELETE = withErrorHandling(async (request: Request, context: Context) => {
  const { id } = parseWith(paramsSchema, await context.params);
  const { owner } = await identify(request);
  if (!(await requireStore(() => getStore().deleteConversation(owner, id)))) throw notFound();
  return new Response(null, { status: 204 });
});
