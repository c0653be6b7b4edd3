// Who the browser is signed in as, their plan and its limits, how to sign in and upgrade. Never rate limited.
import { upgradePlan, upgradeUrl } from "@/lib/billing/upgrade-url";
import { getConfig } from "@/lib/config";
import { withErrorHandling } from "@/lib/http/errors";
import { identify } from "@/lib/identity/identify";
import { planLimitsJson, planNameOf } from "@/lib/plans/caller-plan";

// No `export const dynamic`: GET handlers are dynamic by default since Next 15, and the segment option
// is rejected outright if Cache Components is ever enabled. no-store keeps shared caches away.
export const GET = withErrorHandling(async (request: Request) => {
  const { user } = await identify(request);
  const { auth, maxMessageChars } = getConfig();
  const plan = await planNameOf(user);
  const upgradeTo = upgradePlan(plan);
  return Response.json(
    {
      user: user ? { id: user.id, name: user.name, plan } : null,
      dev_signin: auth.devSignin,
      limits: planLimitsJson(plan),
      sign_in_providers: auth.providers.map(({ id, name }) => ({ id, name })),
      upgrade_url: upgradeUrl(user?.id ?? null, plan),
      max_message_chars: maxMessageChars,
      upgrade_plan: upgradeTo ? planLimitsJson(upgradeTo) : null,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
});
