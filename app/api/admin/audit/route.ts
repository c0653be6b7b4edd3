// GET /api/admin/audit?limit=100&offset=0 — every change, newest first, a page at a time (reads are not recorded).
import { readAudit } from "@/lib/admin/audit";
import { requireAdmin } from "@/lib/admin/auth";
import { auditQuerySchema, parseQuery } from "@/lib/admin/schemas";
import { withErrorHandling } from "@/lib/http/errors";

export const GET = withErrorHandling(async (request: Request) => {
  await requireAdmin(request);
  const { limit, offset } = parseQuery(request, auditQuerySchema);
  return Response.json(await readAudit(limit, offset), { headers: { "Cache-Control": "no-store" } });
});
