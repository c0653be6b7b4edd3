// POST /api/admin/limits/reset {key} — clears the key's sliding log in every layer (operators only).
import { requireAdmin } from "@/lib/admin/auth";
import { resetKey } from "@/lib/admin/limits";
import { keyBodySchema, MAX_ADMIN_BODY_BYTES } from "@/lib/admin/schemas";
import { parseWith, readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { assertSameOrigin } from "@/lib/http/guards";

export const POST = withErrorHandling(async (request: Request) => {
  const actor = await requireAdmin(request);
  assertSameOrigin(request);
  const { key } = parseWith(keyBodySchema, await readJsonBody(request, MAX_ADMIN_BODY_BYTES));
  return Response.json(await resetKey(key, actor, Date.now()), { headers: { "Cache-Control": "no-store" } });
});
