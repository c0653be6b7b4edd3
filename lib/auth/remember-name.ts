// Sign-in → the user directory: the operator console finds a signed-in user by the name they last used.
import { directoryName } from "@/lib/admin/user-directory";
import { userKey } from "@/lib/identity/identify";
import { attemptStore } from "@/lib/resilience/degrade";
import { shouldTryStore, storeErrorSummary } from "@/lib/resilience/store-health";
import { services } from "@/lib/services";

/**
 * Records `name` as the display name of `userId`. Never fails a sign-in: the store call is bounded like every
 * other, skipped while the store is known to be down, and a failure is logged by its reason only (never the
 * name: Upstash's errors quote the command). A user missed here is recorded at their next sign-in.
 */
export async function rememberSignedInName(userId: string, name: string | null | undefined): Promise<void> {
  const clean = directoryName(name ?? "");
  if (!clean || !shouldTryStore()) return;
  try {
    await attemptStore(() => services().users.record(userKey(userId), clean));
  } catch (error) {
    console.warn(`[users] could not record a sign-in's display name (${storeErrorSummary(error)})`);
  }
}
