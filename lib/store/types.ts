// Shapes shared by every store backend: conversations, their messages, summaries.
import type { UIMessage } from "ai";

export interface ChatMessageMetadata {
  /** Set on an assistant reply that was cut off (client abort, model error): shown as incomplete. */
  incomplete?: boolean;
  createdAt?: number;
}

export type ChatMessage = UIMessage<ChatMessageMetadata>;

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

export interface Conversation extends ConversationSummary {
  messages: ChatMessage[];
}

/** Result of claiming a conversation id for an owner before a message is streamed into it. */
export type ClaimResult = "created" | "mine" | "taken";

export interface ChatStore {
  readonly kind: "memory" | "redis";
  /** Creates the conversation for `owner` if the id is free; "taken" when another owner holds it. */
  claim(owner: string, id: string): Promise<ClaimResult>;
  /** The newest `limit` messages, oldest first (the model's context window). */
  loadMessages(owner: string, id: string, limit: number): Promise<ChatMessage[]>;
  appendMessages(owner: string, id: string, messages: ChatMessage[]): Promise<void>;
  setTitle(owner: string, id: string, title: string): Promise<void>;
  getConversation(owner: string, id: string): Promise<Conversation | null>;
  /** The owner's conversations that have at least one message, newest first. */
  listConversations(owner: string, limit: number): Promise<ConversationSummary[]>;
  deleteConversation(owner: string, id: string): Promise<boolean>;
  /** Resolves when the backend answers; used by /api/health. */
  ping(): Promise<void>;
}

export const DEFAULT_TITLE = "New chat";
/** Guest and IP-owned conversations expire; a verified user's are kept. */
export const ANONYMOUS_CONVERSATION_TTL_SECONDS = 30 * 24 * 3600;

export function isAnonymousOwner(owner: string): boolean {
  return !owner.startsWith("user:");
}
