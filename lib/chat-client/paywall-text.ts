// The paywall's words from a 402 body: what was used (never more than the budget), when credits come back,
// and what upgrading gives.
import { clockTime, relativeWait, secondsLeft } from "./time-words";

export interface PaywallFacts {
  used: number;
  budget: number;
  /** ISO 8601: when the daily credits reset. */
  resetsAt: string;
  plan: string;
  /** Tokens this conversation's history adds to each message here. */
  historyTokens?: number;
  /** The same message fits in a new chat: this conversation's history is what made it too dear. */
  newChatFits?: boolean;
}

/** How this person can upgrade now: buy (signed in), sign in first (a guest), or not at all. */
export type UpgradeBy = "checkout" | "sign-in" | null;

export interface PaywallWords {
  /** "You've used today's credits", or that what is left can't pay for a reply. */
  title: string;
  /** Tokens used, never above the budget (the server guarantees it; a stale or odd answer must not show more). */
  used: string;
  budget: string;
  /** Ends the usage sentence: all of it used, or too little left for a reply. */
  usageEnd: string;
  /** "01:00" / "Tue 01:00" in the person's clock, and "in ~5 hours"; null when the body had no valid time. */
  resetClock: string | null;
  resetIn: string | null;
  /** What upgrading gives, when there is somewhere to upgrade. */
  upgrade: string | null;
  /** When this conversation's history is the reason: that a new chat costs less. */
  newChat: string | null;
}

/** "guest" → "Guest", "pro-team" → "Pro team". */
export function planName(plan: string): string {
  const words = plan.trim().replace(/[-_]+/g, " ");
  return words ? words[0]?.toUpperCase() + words.slice(1) : "current";
}

export function paywallWords(
  facts: PaywallFacts,
  upgradeBy: UpgradeBy,
  now: number,
  locale?: string | string[],
  timeZone?: string,
): PaywallWords {
  const budget = Math.max(0, facts.budget);
  const used = Math.min(Math.max(0, facts.used), budget);
  const format = (n: number) => n.toLocaleString(locale);
  const resetsAt = Date.parse(facts.resetsAt);
  const valid = Number.isFinite(resetsAt) && resetsAt > now;
  const name = planName(facts.plan);
  const historyIsWhy = facts.newChatFits === true && used < budget;
  return {
    title: historyIsWhy
      ? "This conversation is too long for today's credits"
      : used >= budget
        ? "You've used today's credits"
        : "Not enough credits left today",
    used: format(used),
    budget: format(budget),
    usageEnd: historyIsWhy
      ? " — what is left is too little for a reply here."
      : used >= budget
        ? "."
        : " — what is left is too little for a reply.",
    newChat: historyIsWhy
      ? `Every message in this conversation also sends its history (about ${format(
          Math.max(0, facts.historyTokens ?? 0),
        )} tokens), so a reply here costs more than is left. The same message in a new chat costs less and can be sent now.`
      : null,
    resetClock: valid ? clockTime(resetsAt, now, locale, timeZone) : null,
    resetIn: valid ? relativeWait(secondsLeft(resetsAt, now)) : null,
    upgrade:
      upgradeBy === null
        ? null
        : `You're on the ${name} plan, with ${format(budget)} tokens a day. ${
            upgradeBy === "sign-in" ? "Sign in to upgrade: a paid plan gives" : "Upgrading gives"
          } you more daily credits, so you can keep chatting now instead of waiting for the reset.`,
  };
}
