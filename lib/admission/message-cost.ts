// What one more message in a conversation reserves of the day's credits: GET /api/limits' `message_cost_tokens`.
import { degradeOnFailure } from "../resilience/degrade";
import { services } from "../services";
import { estimatePromptTokens, HISTORY_LIMIT, reservationTokens } from "./budget";
import type { LimitsState } from "./types";

/**
 * The credits a message in a conversation reserves while enough are left: the prompt's estimate of its stored
 * history (and the system prompt) plus the reply's cap, at the model's tokenCost — the admission's own sum
 * (budget.ts). The new message's own words are not known yet; they add about a token per 3 bytes.
 */
export function messageCostTokens(historyBytes: number, maxOutputTokens: number, tokenCost: number): number {
  return reservationTokens(estimatePromptTokens(historyBytes, 0), maxOutputTokens, tokenCost);
}

/**
 * The cost of the next message in `conversationId` for `owner` (null: a caller without a session), or null when
 * the plan has no daily credits or the store can't be read.
 *
 * Decision: a conversation the caller has no stored history in — a new chat's id (the browser mints it before the
 * first message) or someone else's — costs what a new chat costs. The answer is the same for both, so it tells
 * nobody whether an id is taken, and a new chat's panel shows its real (lowest) price; sending into someone
 * else's conversation is still a 404 from the chat route.
 */
export async function readMessageCost(
  state: LimitsState,
  owner: string | null,
  conversationId: string,
): Promise<number | null> {
  const { admission, config, models, store } = services();
  if ((admission.plans[state.plan]?.dailyTokens ?? 0) <= 0) return null;
  const tokenCost = models.find((row) => row.key === state.model)?.tokenCost ?? 1;
  const unreadable = -1;
  const stored = owner
    ? await degradeOnFailure(() => store.historyBytes(owner, conversationId, HISTORY_LIMIT), unreadable)
    : null;
  if (stored === unreadable) return null;
  return messageCostTokens(stored ?? 0, config.credits.maxOutputTokens, tokenCost);
}
