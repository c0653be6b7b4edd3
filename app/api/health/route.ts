// GET /api/health — liveness plus store and model status; never rate limited.
import { checkHealth } from "@/lib/health";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async () => {
  const report = await checkHealth();
  // 200 even when degraded: the app still serves (fail-open) and load balancers should keep routing to it.
  return Response.json(report, { headers: { "Cache-Control": "no-store" } });
});
