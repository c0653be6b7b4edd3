// Limits of the HTTP API that server and browser both check: one definition, imported by both.

/** Conversation and message ids: letters, digits, '-' and '_', 1–100 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
export const ID_RULE = "must be 1–100 letters, digits, '-' or '_'";

/** The most characters one message may hold (the composer shows a counter, the server refuses more). */
export const MAX_MESSAGE_CHARS = 8_000;
/** The most bytes a chat request body may have. */
export const MAX_CHAT_BODY_BYTES = 64 * 1024;

/**
 * A signed-in user's id as GET /api/session returns it and the limiter keys it (`user:<id>`): Stripe-safe
 * (letters, digits, '-', '_'), at most 200 characters (lib/identity/user-id.ts derives it).
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
