// GET /api/admin/users?name= — signed-in users found by the start of their display name (operators only).
import { requireAdmin } from "@/lib/admin/auth";
import { parseQuery, userSearchQuerySchema } from "@/lib/admin/schemas";
import { operatorCall } from "@/lib/admin/store-call";
import { MAX_USERS_FOUND } from "@/lib/admin/user-directory";
import { withErrorHandling } from "@/lib/http/errors";
import { services } from "@/lib/services";
import type { AdminUsers } from "@/lib/wire/admin";

export const GET = withErrorHandling(async (request: Request) => {
  await requireAdmin(request);
  const { name } = parseQuery(request, userSearchQuerySchema);
  const users = await operatorCall(() => services().users.search(name, MAX_USERS_FOUND));
  const body: AdminUsers = { users };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
