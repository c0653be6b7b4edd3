// GET / DELETE /api/conversations/:id — one of the caller's conversations; anyone else's is a 404.
import { z } from "zod";
import { parseWith } from "@/lib/http/body";
import { ApiError, withErrorHandling } from "@/lib/http/errors";
import { identify, requireOwner } from "@/lib/identity/identify";
import { requireStore } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";
import { idSchema } from "@/lib/wire/schemas";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: idSchema });

interface Context {
  params: Promise<{ id: string }>;
}

const notFound = () => new ApiError("not_found", "No conversation with this id.");

export const GET = withErrorHandling(async (request: Request, context: Context) => {
  const { id } = parseWith(paramsSchema, await context.params);
  const owner = requireOwner(await identify(request));
  const conversation = await requireStore(() => services().store.getConversation(owner, id));
  if (!conversation) throw notFound();
  return Response.json(conversation, { headers: { "Cache-Control": "no-store" } });
});

export const DELETE = withErrorHandling(async (request: Request, context: Context) => {
  const { id } = parseWith(paramsSchema, await context.params);
  const owner = requireOwner(await identify(request));
  if (!(await requireStore(() => services().store.deleteConversation(owner, id)))) throw notFound();
  return new Response(null, { status: 204 });
});
