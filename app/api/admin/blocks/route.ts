// /api/admin/blocks — list (GET), set (POST {key, seconds, reason}) and lift (DELETE ?key=) blocks; operators only.
import { requireAdmin } from "@/lib/admin/auth";
import { blockKey, listBlocks, unblockKey } from "@/lib/admin/blocks";
import { blockBodySchema, keyQuerySchema, MAX_ADMIN_BODY_BYTES, parseQuery } from "@/lib/admin/schemas";
import { parseWith, readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { assertSameOrigin } from "@/lib/http/guards";

const noStore = { "Cache-Control": "no-store" };

export const GET = withErrorHandling(async (request: Request) => {
  await requireAdmin(request);
  return Response.json(await listBlocks(Date.now()), { headers: noStore });
});

export const POST = withErrorHandling(async (request: Request) => {
  const actor = await requireAdmin(request);
  assertSameOrigin(request);
  const { key, seconds, reason } = parseWith(
    blockBodySchema,
    await readJsonBody(request, MAX_ADMIN_BODY_BYTES),
  );
  return Response.json(await blockKey(key, seconds, reason, actor, Date.now()), { headers: noStore });
});

export const DELETE = withErrorHandling(async (request: Request) => {
  const actor = await requireAdmin(request);
  assertSameOrigin(request);
  const { key } = parseQuery(request, keyQuerySchema);
  return Response.json(await unblockKey(key, actor, Date.now()), { headers: noStore });
});
