// GET /api/limits — the caller's rate-limit layers (limit, remaining, reset), read without spending; never limited.
import { readLimits } from "@/lib/admission/limits";
import { withErrorHandling } from "@/lib/http/errors";
import { identifyCaller } from "@/lib/identity/identify";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const limits = await readLimits(await identifyCaller(request));
  return Response.json(limits, { headers: { "Cache-Control": "no-store" } });
});
