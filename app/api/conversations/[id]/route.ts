// GET / PATCH / DELETE /api/conversations/:id — one of the caller's conversations; anyone else's is a 404.
import { z } from "zod";
import { parseWith, readJsonBody } from "@/lib/http/body";
import { ApiError, withErrorHandling } from "@/lib/http/errors";
import { identify, requireOwner } from "@/lib/identity/identify";
import { requireStore } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";
import { characterCount, cleanTitle, MAX_TITLE_CHARS } from "@/lib/text/sanitize";
import { idSchema } from "@/lib/wire/schemas";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: idSchema });

interface Context {
  params: Promise<{ id: string }>;
}

/** A title is a short line; a body far beyond one is refused before parsing (413). */
const MAX_RENAME_BODY_BYTES = 16 * 1024;

const renameSchema = z.strictObject({
  title: z
    .string("must be a string")
    .transform(cleanTitle)
    .refine((title) => {
      const length = characterCount(title);
      return length >= 1 && length <= MAX_TITLE_CHARS;
    }, `must be 1–${MAX_TITLE_CHARS} characters after trimming`),
});

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

/** Renames a conversation: `{ "title": "…" }`, cleaned (lib/text/sanitize.ts); answers its summary. */
export const PATCH = withErrorHandling(async (request: Request, context: Context) => {
  const { id } = parseWith(paramsSchema, await context.params);
  const owner = requireOwner(await identify(request));
  const { title } = parseWith(renameSchema, await readJsonBody(request, MAX_RENAME_BODY_BYTES));
  const renamed = await requireStore(() => services().store.renameConversation(owner, id, title));
  if (!renamed) throw notFound();
  return Response.json(renamed, { headers: { "Cache-Control": "no-store" } });
});
