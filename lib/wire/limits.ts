// Limits of the HTTP API that server and browser both check: one definition, imported by both.

/** Conversation and message ids: letters, digits, '-' and '_', 1–100 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
export const ID_RULE = "must be 1–100 letters, digits, '-' or '_'";

/**
 * The most characters one message may hold by default (CHAT_MAX_MESSAGE_CHARS overrides it; GET /api/session
 * tells the browser). Generous on purpose: pasted logs and documents are a normal use, and the daily credits
 * meter what a long message costs anyway.
 */
export const DEFAULT_MAX_MESSAGE_CHARS = 32_000;

/**
 * The most bytes a chat request body may have for a given message cap: every character as 3 UTF-8 bytes
 * (the most a UTF-16 code unit takes), plus room for the JSON around it; never under 64 KiB.
 */
export function maxChatBodyBytes(maxMessageChars: number): number {
  return Math.max(64 * 1024, maxMessageChars * 3 + 16 * 1024);
}

/**
 * A signed-in user's id as GET /api/session returns it and the limiter keys it (`user:<id>`): Stripe-safe
 * (letters, digits, '-', '_'), at most 200 characters (lib/identity/user-id.ts derives it).
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
