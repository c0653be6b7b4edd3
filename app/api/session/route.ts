// Who the browser is signed in as, for the UI. Deliberately not rate limited.
import { getConfig } from "@/lib/config";
import { withErrorHandling } from "@/lib/http/errors";
import { identify } from "@/lib/identity/identify";

// No `export const dynamic`: GET handlers are dynamic by default since Next 15, and the segment option
// is rejected outright if Cache Components is ever enabled. no-store keeps shared caches away.
export const GET = withErrorHandling(async (request: Request) => {
  const { user } = await identify(request);
  return Response.json(
    { user: user ? { id: user.id, name: user.name } : null, dev_signin: getConfig().auth.devSignin },
    { headers: { "Cache-Control": "no-store" } },
  );
});
