// GET /api/limits[?model=<key>] — the caller's rate-limit layers (limit, remaining, reset), with the model's own
// (default: the plan's first model), read without spending; never limited. An unknown model is 400.
import { readLimits } from "@/lib/admission/limits";
import { withErrorHandling } from "@/lib/http/errors";
import { identifyCaller } from "@/lib/identity/identify";
import { knownModel } from "@/lib/models/choice";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const model = knownModel(new URL(request.url).searchParams.get("model") ?? undefined);
  const limits = await readLimits(await identifyCaller(request), model);
  return Response.json(limits, { headers: { "Cache-Control": "no-store" } });
});
