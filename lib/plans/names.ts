// The plan names the code itself knows, apart from the table (and its zod) so that the browser can use them.

/** Signed-out callers. Never stored: a guest is `guest` by definition. */
export const GUEST_PLAN = "guest";
/** A signed-in user with no stored plan. */
export const FREE_PLAN = "free";
/** What a completed Stripe checkout grants. */
export const PRO_PLAN = "pro";
