// The JSON the API answers, as types shared by the route handlers and the browser. Field names are snake_case.
import type { UIMessage } from "ai";

/** Every error: `{ error, message, ...details }`. */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "payment_required"
  | "forbidden"
  | "blocked"
  | "not_found"
  | "method_not_allowed"
  | "request_timeout"
  | "conflict"
  | "model_not_in_plan"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal_error";

export type ErrorBody = { error: ErrorCode; message: string } & Record<string, unknown>;

/**
 * Which limit refused a message: the caller's own layers, its network's, its replies in progress, or the
 * model's capacity for the whole app ("the assistant is busy", not the person's doing).
 */
export type RateLimitScope = "user" | "ip" | "concurrency" | "model";
export type RateLimitLayerName =
  | "min"
  | "hour"
  | "ip-min"
  | "model-min"
  | "model-hour"
  | "model-rpm"
  | "model-tpm"
  /** The provider itself answered 429 / overloaded: every instance waits out its retry hint. */
  | "model-busy";

/** A 429's body: everything the UI needs to say what happened and when it frees, in the person's words. */
export interface RateLimitedBody {
  error: "rate_limited";
  message: string;
  retry_after_seconds: number;
  scope: RateLimitScope;
  /** The layer that refused; absent for concurrency. */
  layer?: RateLimitLayerName;
  limit: number;
  window_seconds: number;
  /**
   * ISO 8601 with milliseconds: when sending is possible again — for a rate layer, the exact moment its oldest
   * counted message leaves the window (`retry_after_seconds` is the wait to it, rounded up).
   */
  resets_at: string;
}

/** A 402's body: the daily credits are used up (or what is left is too little for a reply). */
export interface PaymentRequiredBody {
  error: "payment_required";
  message: string;
  /** Tokens used today, never above `budget`. */
  used: number;
  budget: number;
  resets_at: string;
  plan: string;
  paywall_url: string | null;
  /** Tokens this conversation's stored history adds to every message's cost (it is sent with each one). */
  history_tokens: number;
  /** Whether the same message would fit in a new chat: the history, not the day's use, is what refused it. */
  new_chat_fits: boolean;
}

/** Stored message metadata. */
export interface ChatMessageMetadata {
  /** Set on an assistant reply that was cut off (client abort, model error): shown as incomplete. */
  incomplete?: boolean;
  /** Epoch ms. */
  created_at?: number;
}
export type ChatMessage = UIMessage<ChatMessageMetadata>;

/**
 * The first chunk of a reply replayed to a tab that didn't send it (`data-turn`, transient): the user message it
 * answers and where that sits, so the tab shows the turn before the reply streams in. GET
 * /api/conversations/:id/stream answers the reply's stream (or 204 when none runs), DELETE stops it.
 */
export interface LiveTurn {
  user: ChatMessage;
  /** The user message's index in the conversation (regenerate and edit replace from there on). */
  at: number;
  /** The reply's stream: a tab passes the last it followed as `?seen=`, so a finished one is not replayed again. */
  stream_id: string;
}
export const LIVE_TURN_CHUNK = "data-turn" as const;

export interface ConversationSummary {
  id: string;
  title: string;
  /** Epoch ms of the last message. */
  updated_at: number;
}
export interface Conversation extends ConversationSummary {
  messages: ChatMessage[];
}

export interface Usage {
  used: number;
  remaining: number;
  budget: number;
  resets_at: string;
}

export interface SessionUser {
  /** Stable per account, Stripe-safe (letters, digits, '-', '_'; ≤ 200): the limit key is `user:<id>`. */
  id: string;
  name: string;
  /** The user's plan name (`free` unless one is stored). */
  plan: string;
}
/** A plan's limits as the API shows them; 0 means that layer is off (no limit). */
export interface PlanLimitsInfo {
  plan: string;
  per_minute: number;
  per_hour: number;
  concurrent_streams: number;
  daily_tokens: number;
}
export interface SignInProvider {
  id: string;
  name: string;
}
export interface SessionInfo {
  user: SessionUser | null;
  dev_signin: boolean;
  /** The caller's plan (`guest` when signed out) and its limits. */
  limits: PlanLimitsInfo;
  sign_in_providers: SignInProvider[];
  /** PAYWALL_URL with this user's id as client_reference_id; null for guests and users not on `free`. */
  upgrade_url: string | null;
  /** The longest message the server accepts, in characters (CHAT_MAX_MESSAGE_CHARS). */
  max_message_chars: number;
  /** The plan an upgrade buys and its limits, when one can be bought (PAYWALL_URL set, guest or free). */
  upgrade_plan: PlanLimitsInfo | null;
}

export interface Health {
  status: "ok" | "degraded";
  store: "memory" | "redis";
  /** Human label, e.g. "Offline demo model" or "gpt-5-mini via OpenAI". */
  model: string;
  provider: "gateway" | "openai" | "openai-compatible" | "offline";
}

/** One rate-limit layer as a caller (GET /api/limits) or an operator sees it, read without spending. */
export interface LimitLayer {
  name: RateLimitLayerName;
  scope: "user" | "ip" | "model";
  limit: number;
  remaining: number;
  /**
   * ISO 8601 with milliseconds: when this layer frees its next message — its oldest counted message leaves the
   * window (the layers are sliding logs: at most `limit` in any `window_seconds`). Now when none is counted.
   */
  resets_at: string;
  window_seconds: number;
}

export interface Limits {
  /** The plan whose limits apply. */
  plan: string;
  layers: LimitLayer[];
  /**
   * With `?conversation=<id>` and daily credits on: what a message there reserves of them — the stored history's
   * prompt estimate plus the reply's cap, at the model's tokenCost (the admission's sum; the message's own words
   * add a little). A conversation the caller has no history in costs what a new chat costs.
   */
  message_cost_tokens?: number;
}

/** One model a caller may choose (GET /api/models); 0 means that limit is off. */
export interface ModelInfo {
  key: string;
  label: string;
  /** This caller may use it now, by plan. */
  available: boolean;
  /** The plans that may use it. */
  plans: string[];
  limits: {
    per_minute: number;
    per_hour: number;
    requests_per_minute: number;
    tokens_per_minute: number;
    token_cost: number;
  };
  /** The model's own layers as they stand for this caller (read without spending); empty when not available. */
  layers: LimitLayer[];
}

export interface ModelList {
  /** What a message without `model` is answered by: the first model the caller's plan allows (null: none). */
  default: string | null;
  models: ModelInfo[];
}
