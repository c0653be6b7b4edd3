// The numbers of leases and credits: reply leases, the prompt's cost estimate, the day's usage key.
import { SYSTEM_PROMPT } from "../ai/system-prompt";

/** A reply's lease (its concurrency slot and credit reservation); renewed while it streams. */
export const LEASE_MS = 10_000;
export const RENEW_EVERY_MS = 3_000;
/** How many earlier messages the model sees; older ones stay stored but leave the context window. */
export const HISTORY_LIMIT = 50;
/**
 * The prompt's cost is estimated from the UTF-8 bytes of what is sent (stored history as JSON, the new
 * message, the system prompt) at 3 bytes a token. Tokenizers never put less than one byte in a token and
 * average ~4 for English; CJK text is 3 bytes a character at ~1 token each, and the JSON's field names and
 * quoting add margin on top. So the estimate stays above what providers bill for the prompt.
 */
export const PROMPT_BYTES_PER_TOKEN = 3;
export const SYSTEM_PROMPT_BYTES = Buffer.byteLength(SYSTEM_PROMPT);
/**
 * Below this many tokens left for the reply a message is refused with 402: a reply cut off after a few
 * words would spend credits on nothing useful.
 */
export const MIN_REPLY_TOKENS = 32;

export function estimatePromptTokens(historyBytes: number, messageBytes: number): number {
  return Math.ceil((historyBytes + messageBytes + SYSTEM_PROMPT_BYTES) / PROMPT_BYTES_PER_TOKEN);
}

/**
 * The daily-credit tokens a message reserves: its prompt's estimate plus the reply's token cap, at the model's
 * tokenCost. The memory store's admission and GET /api/limits' `message_cost_tokens` use it; the Redis admission
 * script (./redis-scripts.ts) does the same sum in Lua.
 */
export function reservationTokens(promptTokens: number, replyTokens: number, tokenCost: number): number {
  return Math.ceil((promptTokens + replyTokens) * tokenCost);
}

/** The reply's token cap given what is left of the budget, or null when the reply would be too short (402). */
export function replyAllowance(left: number, promptTokens: number, maxOutputTokens: number): number | null {
  const allowance = Math.min(maxOutputTokens, left - promptTokens);
  return allowance >= MIN_REPLY_TOKENS ? allowance : null;
}

const DAY_MS = 86_400_000;

/** The UTC day (YYYY-MM-DD) credits are counted in. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** When the day's credits reset: the next UTC midnight. */
export function creditsResetAt(now: number): number {
  return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
}

export const admissionKeys = {
  /** Tokens settled today (string counter, kept 2 days so the boundary can still be read). */
  usage: (limitKey: string, day: string) => `usage:${limitKey}:${day}`,
  /** Sorted set: the identity's live reply leases, scored by when each lapses. */
  leases: (limitKey: string) => `replies:${limitKey}`,
  /** Hash: lease id → tokens it reserved. */
  reservations: (limitKey: string) => `replies-res:${limitKey}`,
  /** The plan a signed-in user bought (absent: the default plan). */
  plan: (limitKey: string) => `plan:${limitKey}`,
  /** An operator's (or the automatic) block of `user:<id>` or `ip:<addr>`: JSON {until, reason}, expiring. */
  block: (target: string) => `block:${target}`,
  /** Sorted set of blocked targets by when their block ends: the operator's list. */
  blocks: () => "blocks",
  /** Sorted set: the operators' audit log (JSON entries scored by epoch ms), kept by age. */
  audit: () => "audit:log",
  /** Refusals of an identity in its abuse window (which starts at its first refusal). */
  abuse: (limitKey: string) => `abuse:${limitKey}`,
  /** Hash of one minute's counts: admitted, refused:<scope>. */
  stats: (minute: number) => `stats:${minute}`,
  /** Sorted set of one minute's refused identities by refusals. */
  statsTop: (minute: number) => `stats-top:${minute}`,
};

/** Stats are kept this long (the console shows the last hour), and at most this many identities a minute. */
export const STATS_TTL_SECONDS = 2 * 3600;
export const STATS_TOP_MAX = 500;

/** The minute stats count `now` in (epoch minutes). */
export const statsMinute = (now: number) => Math.floor(now / 60_000);
