// GET /api/admin/limits?key= — a key's plan, block and layers, read without spending (operators only).
import { requireAdmin } from "@/lib/admin/auth";
import { lookUpKey } from "@/lib/admin/limits";
import { keyQuerySchema, parseQuery } from "@/lib/admin/schemas";
import { withErrorHandling } from "@/lib/http/errors";

export const GET = withErrorHandling(async (request: Request) => {
  await requireAdmin(request);
  const { key } = parseQuery(request, keyQuerySchema);
  return Response.json(await lookUpKey(key, Date.now()), { headers: { "Cache-Control": "no-store" } });
});
