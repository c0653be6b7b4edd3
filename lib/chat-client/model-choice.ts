// Which model a conversation uses: remembered per conversation in this browser (and the last one used, for a
// new chat), checked against what GET /api/models says this caller may use, and how a locked one unlocks.
import { FREE_PLAN } from "../plans/names";
import type { ModelInfo, ModelList } from "../wire/types";
import type { KeyValueStorage } from "./held-store";
import { planName } from "./paywall-text";

const PREFIX = "throttled-chat:model:";
const LAST_KEY = "throttled-chat:last-model";
/** Like the drafts (held-store.ts): a choice untouched for a month is dropped; the chat then takes the default. */
export const KEEP_CHOICE_FOR_MS = 30 * 24 * 3600 * 1000;

/** The model this conversation was last sent with or set to here, or null. Never throws. */
export function readModelChoice(storage: KeyValueStorage | null, conversationId: string): string | null {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(PREFIX + conversationId) ?? "null");
    const model = parsed && typeof parsed === "object" ? (parsed as { model?: unknown }).model : null;
    return typeof model === "string" ? model : null;
  } catch {
    return null;
  }
}

/** The model last chosen or sent with in any conversation: what a new chat starts with. */
export function readLastModel(storage: KeyValueStorage | null): string | null {
  try {
    return storage?.getItem(LAST_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Remembers `model` for the conversation and as the last one used. A full or disabled storage forgets it. */
export function writeModelChoice(
  storage: KeyValueStorage | null,
  conversationId: string,
  model: string,
  now: number,
): void {
  try {
    storage?.setItem(PREFIX + conversationId, JSON.stringify({ model, saved_at: now }));
    storage?.setItem(LAST_KEY, model);
  } catch {
    // quota exceeded or storage disabled: the choice lasts while the page is open
  }
}

/** Drops choices older than KEEP_CHOICE_FOR_MS (and unreadable ones). */
export function pruneModelChoices(storage: KeyValueStorage | null, now: number): void {
  if (!storage) return;
  try {
    const stale: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      let savedAt = 0;
      try {
        const parsed: unknown = JSON.parse(storage.getItem(key) ?? "null");
        const at = parsed && typeof parsed === "object" ? (parsed as { saved_at?: unknown }).saved_at : 0;
        if (typeof at === "number") savedAt = at;
      } catch {
        // unreadable: dropped below
      }
      if (now - savedAt > KEEP_CHOICE_FOR_MS) stale.push(key);
    }
    for (const key of stale) storage.removeItem(key);
  } catch {
    // storage disabled
  }
}

/**
 * The model to send with: the conversation's own choice, else the last one used, else the caller's default —
 * the first of them this caller may use now (a plan that changed makes a remembered one fall back). Before
 * the list has loaded the remembered choice goes as is: the server answers a model outside the plan with a 403.
 * With one model there is nothing to choose: null, and requests stay as they were before models existed.
 */
export function effectiveModel(
  list: ModelList | null,
  conversationChoice: string | null,
  lastUsed: string | null,
): string | null {
  if (!list) return conversationChoice ?? lastUsed;
  if (!offersChoice(list)) return null;
  const usable = (key: string | null) => list.models.some((m) => m.key === key && m.available);
  return [conversationChoice, lastUsed, list.default].find(usable) ?? null;
}

/** Whether to offer a choice at all: only with more than one model. */
export const offersChoice = (list: ModelList | null): list is ModelList => (list?.models.length ?? 0) > 1;

/** How this person could get a plan: sign in (a guest), buy one (signed in, on free), or neither. */
export interface UpgradePath {
  /** A guest who can sign in here. */
  canSignIn: boolean;
  /** The checkout link (the session's `upgrade_url`), when this person can buy now. */
  checkoutUrl: string | null;
  /** The plan an upgrade buys (the session's `upgrade_plan`), when one can be bought. */
  upgradePlan: string | null;
}

export type Unlock =
  | { plan: string; action: "sign-in"; label: "Sign in" | "Sign in to upgrade" }
  | { plan: string; action: "checkout"; label: "Upgrade" }
  | { plan: string; action: null; label: null };

/**
 * For a model this caller may not use: the plan that unlocks it, in words ("Pro"), and the way there, as the
 * paywall offers it — "Sign in" when signing in is enough, "Sign in to upgrade" for a guest, "Upgrade" for a
 * signed-in user who can buy the plan, nothing when no way is open here (e.g. a plan set by the operator).
 */
export function unlockOf(model: ModelInfo, path: UpgradePath): Unlock {
  const upgrade = path.upgradePlan && model.plans.includes(path.upgradePlan) ? path.upgradePlan : null;
  if (path.canSignIn && model.plans.includes(FREE_PLAN))
    return { plan: planName(FREE_PLAN), action: "sign-in", label: "Sign in" };
  if (upgrade && path.canSignIn)
    return { plan: planName(upgrade), action: "sign-in", label: "Sign in to upgrade" };
  if (upgrade && path.checkoutUrl) return { plan: planName(upgrade), action: "checkout", label: "Upgrade" };
  return { plan: planName(upgrade ?? model.plans[0] ?? ""), action: null, label: null };
}

/** The one way out the picker offers under its list ("Sign in to upgrade · Pro unlocks Smart"), or null. */
export interface UnlockAction {
  action: "sign-in" | "checkout";
  label: string;
  /** "Pro unlocks Smart and Deep". */
  detail: string;
}

export function unlockAction(models: readonly ModelInfo[], path: UpgradePath): UnlockAction | null {
  const locked = models.filter((m) => !m.available).map((m) => ({ model: m, unlock: unlockOf(m, path) }));
  const first = locked.find(({ unlock }) => unlock.action !== null)?.unlock;
  if (!first?.action) return null;
  const unlocked = locked.filter(({ unlock }) => unlock.plan === first.plan).map(({ model }) => model.label);
  const names =
    unlocked.length > 1 ? `${unlocked.slice(0, -1).join(", ")} and ${unlocked.at(-1)}` : unlocked[0];
  return { action: first.action, label: first.label, detail: `${first.plan} unlocks ${names}` };
}

/** "Smart isn't part of your plan (it comes with Pro)…": a 403 model_not_in_plan, and what to do now. */
export function modelRefusalText(body: Record<string, unknown>, list: ModelList | null): string {
  const key = typeof body.model === "string" ? body.model : "";
  const label = list?.models.find((m) => m.key === key)?.label ?? "This model";
  const plans = Array.isArray(body.plans) ? body.plans.filter((p) => typeof p === "string") : [];
  const comes = plans.length ? ` (it comes with ${plans.map(planName).join(" or ")})` : "";
  return `${label} isn't part of your plan${comes}, so nothing was sent. Your message is back in the box: choose another model and send it again.`;
}
