// GET /api/conversations — the caller's conversations, newest first (never rate limited).
import { withErrorHandling } from "@/lib/http/errors";
import { identify, requireOwner } from "@/lib/identity/identify";
import { requireStore } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const owner = requireOwner(await identify(request));
  const conversations = await requireStore(() => services().store.listConversations(owner, 100));
  return Response.json({ conversations }, { headers: { "Cache-Control": "no-store" } });
});
