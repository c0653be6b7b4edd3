// GET /api/version — the app version and the commit it was built from (null when unknown).
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(getConfig().build, { headers: { "Cache-Control": "no-store" } });
}
