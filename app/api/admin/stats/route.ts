// GET /api/admin/stats?minutes=60 — admitted and refused (by scope) per minute, and the keys refused most.
import { requireAdmin } from "@/lib/admin/auth";
import { parseQuery, statsQuerySchema } from "@/lib/admin/schemas";
import { readStats } from "@/lib/admin/stats";
import { withErrorHandling } from "@/lib/http/errors";

export const GET = withErrorHandling(async (request: Request) => {
  await requireAdmin(request);
  const { minutes } = parseQuery(request, statsQuerySchema);
  return Response.json(await readStats(minutes, Date.now()), { headers: { "Cache-Control": "no-store" } });
});
