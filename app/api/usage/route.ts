// GET /api/usage — the caller's daily token credits: used, remaining, budget, reset time.
import { readUsage } from "@/lib/admission/usage";
import { withErrorHandling } from "@/lib/http/errors";
import { identifyCaller } from "@/lib/identity/identify";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const usage = await readUsage(await identifyCaller(request));
  return Response.json(usage, { headers: { "Cache-Control": "no-store" } });
});
