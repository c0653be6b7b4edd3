// GET /api/conversations — the caller's conversations, newest first (never rate limited).
import { withErrorHandling } from "@/lib/http/errors";
import { identify } from "@/lib/identity/identify";
import { requireStore } from "@/lib/resilience/degrade";
import { getStore } from "@/lib/store";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const { owner } = await identify(request);
  const conversations = await requireStore(() => getStore().listConversations(owner, 100));
  return Response.json({ conversations }, { headers: { "Cache-Control": "no-store" } });
});
