// In-memory ChatStore: the embedded default for a laptop with no keys; one process only.
import {
  ANONYMOUS_CONVERSATION_TTL_SECONDS,
  type ChatMessage,
  type ChatStore,
  type Conversation,
  type ConversationSummary,
  DEFAULT_TITLE,
  isAnonymousOwner,
} from "./types";

interface Entry {
  owner: string;
  title: string;
  updatedAt: number;
  expiresAt: number;
  messages: ChatMessage[];
  /** UTF-8 bytes of each stored message as JSON (what Redis would hold): the prompt estimate's input. */
  sizes: number[];
  messageIds: Set<string>;
}

/**
 * The async ChatStore methods serve the routes; the synchronous ones serve the in-memory admission and
 * settle steps, which must check and take in one step (no await between them) to be atomic.
 */
export class MemoryChatStore implements ChatStore {
  readonly kind = "memory" as const;
  private readonly conversations = new Map<string, Entry>();
  private readonly idsByOwner = new Map<string, Set<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(id: string): Entry | undefined {
    const entry = this.conversations.get(id);
    if (entry && entry.expiresAt <= this.now()) {
      this.forget(entry.owner, id);
      return undefined;
    }
    return entry;
  }

  private owned(owner: string, id: string): Entry | undefined {
    const entry = this.live(id);
    return entry?.owner === owner ? entry : undefined;
  }

  private expiry(owner: string): number {
    return isAnonymousOwner(owner) ? this.now() + ANONYMOUS_CONVERSATION_TTL_SECONDS * 1000 : Infinity;
  }

  /** Who holds `id` right now: "free", "mine" or "taken". */
  holder(owner: string, id: string): "free" | "mine" | "taken" {
    const entry = this.live(id);
    if (!entry) return "free";
    return entry.owner === owner ? "mine" : "taken";
  }

  /** Creates the conversation for `owner`; the caller checked it is free. */
  create(owner: string, id: string): void {
    this.conversations.set(id, {
      owner,
      title: DEFAULT_TITLE,
      updatedAt: this.now(),
      expiresAt: this.expiry(owner),
      messages: [],
      sizes: [],
      messageIds: new Set(),
    });
    const ids = this.idsByOwner.get(owner) ?? new Set<string>();
    ids.add(id);
    this.idsByOwner.set(owner, ids);
  }

  /** The newest `limit` messages (oldest first), their stored size in bytes, and how many there are in all. */
  history(
    owner: string,
    id: string,
    limit: number,
  ): { messages: ChatMessage[]; bytes: number; length: number } {
    const entry = this.owned(owner, id);
    if (!entry) return { messages: [], bytes: 0, length: 0 };
    const bytes = entry.sizes.slice(-limit).reduce((sum, size) => sum + size, 0);
    return { messages: structuredClone(entry.messages.slice(-limit)), bytes, length: entry.messages.length };
  }

  /** Drops the messages from index `from` on, if the conversation still holds `expectLength` (regenerate, edit). */
  truncate(owner: string, id: string, from: number, expectLength: number): void {
    const entry = this.owned(owner, id);
    if (!entry || entry.messages.length !== expectLength) return;
    entry.messages.length = from;
    entry.sizes.length = from;
  }

  /** Records a received user message id; false when it was already received (a retried send). */
  rememberMessageId(owner: string, id: string, messageId: string): boolean {
    const entry = this.owned(owner, id);
    if (!entry || entry.messageIds.has(messageId)) return false;
    entry.messageIds.add(messageId);
    return true;
  }

  hasMessageId(owner: string, id: string, messageId: string): boolean {
    return this.owned(owner, id)?.messageIds.has(messageId) ?? false;
  }

  forgetMessageId(owner: string, id: string, messageId: string): void {
    this.owned(owner, id)?.messageIds.delete(messageId);
  }

  /** Appends messages (and sets the title when given) in one step. */
  append(owner: string, id: string, messages: ChatMessage[], title?: string): void {
    const entry = this.owned(owner, id);
    if (!entry) return;
    for (const message of messages) {
      const stored = JSON.stringify(message);
      entry.messages.push(JSON.parse(stored) as ChatMessage);
      entry.sizes.push(Buffer.byteLength(stored));
    }
    // A generated title never overwrites one the person gave it (a rename while the first reply streamed).
    if (title !== undefined && entry.title === DEFAULT_TITLE) entry.title = title;
    entry.updatedAt = this.now();
    entry.expiresAt = this.expiry(owner);
  }

  async getConversation(owner: string, id: string): Promise<Conversation | null> {
    const entry = this.owned(owner, id);
    if (!entry) return null;
    return { id, title: entry.title, updated_at: entry.updatedAt, messages: structuredClone(entry.messages) };
  }

  async historyBytes(owner: string, id: string, limit: number): Promise<number | null> {
    const entry = this.owned(owner, id);
    return entry ? this.history(owner, id, limit).bytes : null;
  }

  async listConversations(owner: string, limit: number): Promise<ConversationSummary[]> {
    const mine: ConversationSummary[] = [];
    for (const id of [...(this.idsByOwner.get(owner) ?? [])]) {
      const entry = this.owned(owner, id);
      if (entry && entry.messages.length > 0)
        mine.push({ id, title: entry.title, updated_at: entry.updatedAt });
    }
    return mine.sort((a, b) => b.updated_at - a.updated_at).slice(0, limit);
  }

  async renameConversation(owner: string, id: string, title: string): Promise<ConversationSummary | null> {
    const entry = this.owned(owner, id);
    if (!entry) return null;
    entry.title = title;
    return { id, title, updated_at: entry.updatedAt };
  }

  async deleteConversation(owner: string, id: string): Promise<boolean> {
    if (!this.owned(owner, id)) return false;
    this.forget(owner, id);
    return true;
  }

  async moveConversations(from: string, to: string): Promise<number> {
    let moved = 0;
    for (const id of [...(this.idsByOwner.get(from) ?? [])]) {
      const entry = this.owned(from, id);
      if (!entry) continue;
      this.forget(from, id);
      entry.owner = to;
      entry.expiresAt = this.expiry(to);
      this.conversations.set(id, entry);
      const ids = this.idsByOwner.get(to) ?? new Set<string>();
      ids.add(id);
      this.idsByOwner.set(to, ids);
      moved += 1;
    }
    return moved;
  }

  private forget(owner: string, id: string): void {
    this.conversations.delete(id);
    const ids = this.idsByOwner.get(owner);
    ids?.delete(id);
    if (ids?.size === 0) this.idsByOwner.delete(owner);
  }

  async ping(): Promise<void> {}
}
