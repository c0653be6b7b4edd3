// Shapes shared by every store backend: conversations, their messages, summaries.
import type { Conversation, ConversationSummary } from "../wire/types";

export type { ChatMessage, ChatMessageMetadata, Conversation, ConversationSummary } from "../wire/types";

/**
 * Reading, renaming and deleting conversations, for the routes. Creating conversations and appending to them happens in
 * the admission and settle steps (lib/admission), which check limits and ownership in the same step.
 */
export interface ChatStore {
  readonly kind: "memory" | "redis";
  getConversation(owner: string, id: string): Promise<Conversation | null>;
  /** The owner's conversations that have at least one message, newest first. */
  listConversations(owner: string, limit: number): Promise<ConversationSummary[]>;
  deleteConversation(owner: string, id: string): Promise<boolean>;
  /**
   * UTF-8 bytes of the newest `limit` stored messages (as JSON): what the admission's prompt estimate counts for
   * this conversation's history. Null when the owner has no conversation with this id.
   */
  historyBytes(owner: string, id: string, limit: number): Promise<number | null>;
  /** Sets the title of one of the owner's existing conversations (order unchanged); null when there is none. */
  renameConversation(owner: string, id: string, title: string): Promise<ConversationSummary | null>;
  /**
   * Hands every conversation of `from` to `to` (a guest signing in): same ids, messages and titles, now
   * kept like any of `to`'s (no expiry for a user). Returns how many moved. Safe to repeat.
   */
  moveConversations(from: string, to: string): Promise<number>;
  /** Resolves when the backend answers; used by /api/health. */
  ping(): Promise<void>;
}

export const DEFAULT_TITLE = "New chat";
/** A guest's conversations expire 30 days after their last message; a verified user's are kept. */
export const ANONYMOUS_CONVERSATION_TTL_SECONDS = 30 * 24 * 3600;

export function isAnonymousOwner(owner: string): boolean {
  return !owner.startsWith("user:");
}
