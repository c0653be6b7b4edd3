// Guest → signed-in: the conversations a guest started move to the account they sign in to.
import { verifyGuestCookie } from "@/lib/identity/guest";
import { guestOwner, userKey } from "@/lib/identity/identify";
import { degradeOnFailure } from "@/lib/resilience/degrade";
import { services } from "@/lib/services";

/**
 * Moves the conversations of the guest session in `guestCookie` (the request's `chat_guest` cookie) to
 * `userId`. Returns how many moved. A sign-in must not fail because the store is
 * down: the wait is bounded like every store call, and the conversations then stay with the guest
 * session (the next sign-in from this browser moves them).
 */
export async function adoptGuestConversations(
  userId: string,
  guestCookie: string | undefined,
): Promise<number> {
  const sessionId = await verifyGuestCookie(guestCookie);
  if (!sessionId) return 0;
  return degradeOnFailure(
    () => services().store.moveConversations(guestOwner(sessionId), userKey(userId)),
    0,
  );
}
