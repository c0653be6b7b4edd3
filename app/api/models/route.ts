// GET /api/models — every chat model, whether the caller may use it, its limits and what is left; never limited.
import { withErrorHandling } from "@/lib/http/errors";
import { identifyCaller } from "@/lib/identity/identify";
import { listModels } from "@/lib/models/listing";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const models = await listModels(await identifyCaller(request));
  return Response.json(models, { headers: { "Cache-Control": "no-store" } });
});
