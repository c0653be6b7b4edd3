// The paywall's Upgrade link: PAYWALL_URL with the user's id as Stripe's client_reference_id.
import { getConfig } from "@/lib/config";
import { FREE_PLAN, GUEST_PLAN, PRO_PLAN } from "@/lib/plans/table";

/**
 * Stripe Payment Links copy `client_reference_id` from the link's query into the Checkout Session, and
 * the webhook reads it back to know whose plan to raise. Only a signed-in user on `free` is offered the
 * upgrade: a guest must sign in first (the id must survive the checkout), and `pro` has nothing to buy.
 */
export function upgradeUrl(userId: string | null, plan: string): string | null {
  const base = getConfig().credits.paywallUrl;
  if (!base || !userId || plan !== FREE_PLAN) return null;
  const url = new URL(base);
  url.searchParams.set("client_reference_id", userId);
  return url.toString();
}

/**
 * The plan an upgrade buys (`pro`, the one the Stripe webhook grants), when there is one to buy: PAYWALL_URL is
 * set and the caller is a guest (who signs in first) or on `free`. The chat offers it where a limit stops them.
 */
export function upgradePlan(plan: string): string | null {
  if (!getConfig().credits.paywallUrl) return null;
  return plan === GUEST_PLAN || plan === FREE_PLAN ? PRO_PLAN : null;
}
