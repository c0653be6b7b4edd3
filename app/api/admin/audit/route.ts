// GET /api/admin/audit?limit=100 — the operators' changes, newest first (reads are not recorded).
import { readAudit } from "@/lib/admin/audit";
import { requireAdmin } from "@/lib/admin/auth";
import { auditQuerySchema, parseQuery } from "@/lib/admin/schemas";
import { withErrorHandling } from "@/lib/http/errors";

export const GET = withErrorHandling(async (request: Request) => {
  await requireAdmin(request);
  const { limit } = parseQuery(request, auditQuerySchema);
  return Response.json(await readAudit(limit), { headers: { "Cache-Control": "no-store" } });
});
