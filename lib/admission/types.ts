// What the admission step takes, what it answers, and the contract both stores (memory, Redis) implement.
import type { PlanLimits } from "../plans/table";
import type { LayerCheck, LayerState } from "../ratelimit/layers";
import type { ChatMessage } from "../store/types";
import type { CachedRefusal } from "./cached-refusals";

export type { PlanLimits } from "../plans/table";

/** What a message asks: a new message, a new answer to the last one, or the last one edited. */
export type ChatIntent = "send" | "regenerate" | "edit";

/** The reason of the app's own block of a repeat offender (an operator may not use it: lib/admin/schemas.ts). */
export const AUTOMATIC_BLOCK_REASON = "automatic";

/** Repeat offenders: an identity refused more than `afterRefusals` times in a window is blocked for a while. */
export interface AbusePolicy {
  afterRefusals: number;
  windowSeconds: number;
  blockSeconds: number;
}

/** A model a request may be answered by, and the plans that may use it (null: every plan). */
export interface ModelOption {
  key: string;
  plans: readonly string[] | null;
  /** Daily-credit tokens per token of this model (CHAT_MODELS tokenCost); absent: 1. */
  cost?: number;
}

/** Everything one round trip needs to decide a chat message. */
export interface AdmissionRequest {
  now: number;
  /** `user:<id>` or `ip:<addr>`: the per-user layers, the reply leases and the credits. */
  limitKey: string;
  checks: LayerCheck[];
  plans: Record<string, PlanLimits>;
  /** The plan when the store holds none for this identity: "guest" for anonymous callers, "free" for users. */
  defaultPlan: string;
  /** Signed-in users may have a stored plan (their limit key's); anonymous callers never. */
  readsStoredPlan: boolean;
  /** Every model, in order: the request is answered by `model`, or by the first one the plan allows. */
  models: readonly ModelOption[];
  /** The model the caller asked for (a key of `models`), or null for its plan's default. */
  model: string | null;
  /** Who owns the conversation: `user:<id>` or `guest:<session>`. */
  owner: string;
  conversationId: string;
  intent: ChatIntent;
  /** The new user message's id ("" for regenerate, which sends none). */
  messageId: string;
  /**
   * Regenerate and edit name the turn they replace: the id of the conversation's last message as the client
   * saw it (absent for send). Any other last message (another tab sent meanwhile) refuses them: "stale" (409).
   */
  expectLastMessageId?: string;
  /** UTF-8 bytes of the new message as stored (JSON): part of the prompt's cost estimate. */
  messageBytes: number;
  /**
   * The identities a block can name for this caller: its limit key first, then `ip:<addr>`. An automatic
   * block counts only on the first (the offender's own identity); an operator's on any.
   */
  blockTargets: string[];
  /** Automatic blocking of repeat offenders, or null when off. */
  abuse: AbusePolicy | null;
  /** Unique per request: names this reply's lease (concurrency slot and credit reservation). */
  leaseId: string;
  /** Longest reply in tokens (CHAT_MAX_OUTPUT_TOKENS). */
  maxOutputTokens: number;
}

export type Refusal =
  | { reason: "blocked"; until: number; note: string; target: string }
  | { reason: "model_not_in_plan"; model: string; plans: readonly string[] }
  | { reason: "rate"; state: LayerState }
  | { reason: "concurrency"; limit: number; freesAt: number }
  | { reason: "not_found" }
  | { reason: "duplicate" }
  | { reason: "nothing_to_replace" }
  | { reason: "stale" }
  | {
      reason: "credits";
      used: number;
      reserved: number;
      budget: number;
      /** What this conversation's stored history adds to the prompt's estimate, in tokens. */
      historyTokens: number;
      /** Whether the same message would be admitted in a new chat (no history to send). */
      newChatFits: boolean;
    };

/** How the conversation stood: created by this message, already the caller's, or not checkable (store down). */
export type ConversationClaim = "created" | "mine" | "unavailable";

export interface Grant {
  /** Tokens reserved from today's budget (prompt estimate + maxOutputTokens); 0 without credits. */
  reserved: number;
  /** The reply's cap: what is left of the budget after the prompt, at most CHAT_MAX_OUTPUT_TOKENS. */
  maxOutputTokens: number;
  /** Whether a lease was taken (a concurrency cap or credits applied). */
  leased: boolean;
  /** The UTC day the reservation was made for: usage is billed to it. */
  day: string;
  /** Daily-credit tokens per token of the model that answers. */
  cost: number;
}

export type AdmissionResult =
  | {
      admitted: true;
      plan: string;
      /** The model that answers (a key of the request's `models`). */
      model: string;
      layers: LayerState[];
      claim: ConversationClaim;
      /** The newest HISTORY_LIMIT messages (the model's context), oldest first. */
      history: ChatMessage[];
      /** How many messages the conversation holds in all (history is its tail). */
      length: number;
      grant: Grant;
      /** Today's settled usage before this reply (the local fallback learns it from here). */
      usedTokens: number;
    }
  | { admitted: false; plan: string; model: string | null; layers: LayerState[]; refusals: Refusal[] };

/** What a finished (or failed) reply writes back, in one round trip. */
export interface Settlement {
  limitKey: string;
  leaseId: string;
  leased: boolean;
  day: string;
  /** Daily-credit tokens the reply really cost (its tokens × the model's tokenCost); billed to `day`. */
  tokens: number;
  /** The reply's own tokens, for the model's tokensPerMinute (absent: `tokens`). */
  modelTokens?: number;
  owner: string;
  conversationId: string;
  claim: ConversationClaim;
  /** The message's entry in the logs, and the token logs whose reservation becomes `tokens` (a model's tpm). */
  entry?: string;
  tokenLogs?: LayerCheck[];
  /**
   * The provider refused before the first token: the entry leaves these logs (message and token logs alike),
   * so the message counts nowhere — as if it had never been admitted.
   */
  uncount?: LayerCheck[];
  /** ...and the model's breaker (a `breaker` layer) holds until this epoch ms; a later one is never shortened. */
  breaker?: { check: LayerCheck; until: number };
  /** Appended to the conversation: the user message and the reply, or nothing when the claim is unavailable. */
  messages: ChatMessage[];
  /** Set for a conversation this message created. */
  title?: string;
  /** The message never reached the model (failed before streaming): forget its id so a retry is not a duplicate. */
  forgetMessageId?: string;
  /**
   * Regenerate and edit replace the last turn: messages from this index on are dropped before `messages` are
   * appended — only if the conversation still holds `expectLength` messages (nothing was added meanwhile).
   */
  replace?: { from: number; expectLength: number };
}

/** One of the two stores of admission state: the same contract in memory and on Redis. */
export interface AdmissionBackend {
  readonly kind: "memory" | "redis";
  admit(request: AdmissionRequest): Promise<AdmissionResult>;
  settle(settlement: Settlement, now: number): Promise<void>;
  /** Extends a streaming reply's lease so a crashed instance's slots and reservations lapse, a live one's don't. */
  renew(limitKey: string, leaseId: string, now: number): Promise<void>;
  /** Today's settled tokens, the tokens live replies hold in reserve, and the stored plan (for /api/usage). */
  usageOf(limitKey: string, now: number): Promise<UsageState>;
  /** Counts refusals an instance answered from its local cache (stats, abuse windows), after the fact. */
  countCachedRefusals(now: number, refused: CachedRefusal[], abuse: AbusePolicy | null): Promise<void>;
  /** Every layer's state without spending anything (for GET /api/limits). */
  peek(query: LimitsQuery): Promise<LimitsState>;
}

/** What reading the limits needs: who, which layers, which plans. */
export type LimitsQuery = Pick<
  AdmissionRequest,
  "now" | "limitKey" | "checks" | "plans" | "defaultPlan" | "readsStoredPlan" | "models" | "model"
>;

export interface LimitsState {
  plan: string;
  /** The model whose layers these are: the one asked for, or the plan's default; null if the plan has none. */
  model: string | null;
  layers: LayerState[];
}

export interface UsageState {
  used: number;
  reserved: number;
  storedPlan: string | null;
}
