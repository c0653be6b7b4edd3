// GET /api/usage — the caller's daily token credits: used, remaining, budget, reset time.
import { getUsage } from "@/lib/credits";
import { withErrorHandling } from "@/lib/http/errors";
import { identify } from "@/lib/identity/identify";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const { limitKey } = await identify(request);
  return Response.json(await getUsage(limitKey), { headers: { "Cache-Control": "no-store" } });
});
