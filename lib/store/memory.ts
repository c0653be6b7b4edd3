// In-memory ChatStore: the embedded default for a laptop with no keys; one process only.
import {
  ANONYMOUS_CONVERSATION_TTL_SECONDS,
  type ChatMessage,
  type ChatStore,
  type ClaimResult,
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
}

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

  async claim(owner: string, id: string): Promise<ClaimResult> {
    const entry = this.live(id);
    if (entry) return entry.owner === owner ? "mine" : "taken";
    this.conversations.set(id, {
      owner,
      title: DEFAULT_TITLE,
      updatedAt: this.now(),
      expiresAt: this.expiry(owner),
      messages: [],
    });
    const ids = this.idsByOwner.get(owner) ?? new Set<string>();
    ids.add(id);
    this.idsByOwner.set(owner, ids);
    return "created";
  }

  async loadMessages(owner: string, id: string, limit: number): Promise<ChatMessage[]> {
    return structuredClone(this.owned(owner, id)?.messages.slice(-limit) ?? []);
  }

  async appendMessages(owner: string, id: string, messages: ChatMessage[]): Promise<void> {
    const entry = this.owned(owner, id);
    if (!entry) return;
    entry.messages.push(...structuredClone(messages));
    entry.updatedAt = this.now();
    entry.expiresAt = this.expiry(owner);
  }

  async setTitle(owner: string, id: string, title: string): Promise<void> {
    const entry = this.owned(owner, id);
    if (entry) entry.title = title;
  }

  async getConversation(owner: string, id: string): Promise<Conversation | null> {
    const entry = this.owned(owner, id);
    if (!entry) return null;
    return { id, title: entry.title, updatedAt: entry.updatedAt, messages: structuredClone(entry.messages) };
  }

  async listConversations(owner: string, limit: number): Promise<ConversationSummary[]> {
    const mine: ConversationSummary[] = [];
    for (const id of [...(this.idsByOwner.get(owner) ?? [])]) {
      const entry = this.owned(owner, id);
      if (entry && entry.messages.length > 0)
        mine.push({ id, title: entry.title, updatedAt: entry.updatedAt });
    }
    return mine.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
  }

  async deleteConversation(owner: string, id: string): Promise<boolean> {
    if (!this.owned(owner, id)) return false;
    this.forget(owner, id);
    return true;
  }

  private forget(owner: string, id: string): void {
    this.conversations.delete(id);
    const ids = this.idsByOwner.get(owner);
    ids?.delete(id);
    if (ids?.size === 0) this.idsByOwner.delete(owner);
  }

  async ping(): Promise<void> {}
}
