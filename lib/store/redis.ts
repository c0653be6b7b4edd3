// Upstash Redis ChatStore: conversations survive restarts and are shared by every instance.
import type { Redis } from "@upstash/redis";
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

// One prefix per concern (see ARCHITECTURE.md): conv:<owner>:<id> hash, msgs:<owner>:<id> list,
// convs:<owner> sorted set by updatedAt, conv-owner:<id> the id's single owner.
const keys = {
  meta: (owner: string, id: string) => `conv:${owner}:${id}`,
  messages: (owner: string, id: string) => `msgs:${owner}:${id}`,
  index: (owner: string) => `convs:${owner}`,
  owner: (id: string) => `conv-owner:${id}`,
};

interface Meta {
  title?: string;
  updatedAt?: number | string;
}

export class RedisChatStore implements ChatStore {
  readonly kind = "redis" as const;

  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(owner: string, id: string): Promise<ClaimResult> {
    const ttl = isAnonymousOwner(owner) ? { ex: ANONYMOUS_CONVERSATION_TTL_SECONDS } : {};
    // SET NX GET: one round trip that either takes the id or tells us who holds it.
    const previous = await this.redis.set<string>(keys.owner(id), owner, { nx: true, get: true, ...ttl });
    if (previous === null) {
      await this.redis.hset(keys.meta(owner, id), { title: DEFAULT_TITLE, updatedAt: this.now() });
      return "created";
    }
    return previous === owner ? "mine" : "taken";
  }

  async loadMessages(owner: string, id: string, limit: number): Promise<ChatMessage[]> {
    return this.redis.lrange<ChatMessage>(keys.messages(owner, id), -limit, -1);
  }

  async appendMessages(owner: string, id: string, messages: ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const updatedAt = this.now();
    const tx = this.redis.multi();
    tx.rpush(keys.messages(owner, id), ...messages);
    tx.hset(keys.meta(owner, id), { updatedAt });
    tx.zadd(keys.index(owner), { score: updatedAt, member: id });
    if (isAnonymousOwner(owner)) {
      for (const key of [keys.messages(owner, id), keys.meta(owner, id), keys.index(owner), keys.owner(id)]) {
        tx.expire(key, ANONYMOUS_CONVERSATION_TTL_SECONDS);
      }
    }
    await tx.exec();
  }

  async setTitle(owner: string, id: string, title: string): Promise<void> {
    await this.redis.hset(keys.meta(owner, id), { title });
  }

  async getConversation(owner: string, id: string): Promise<Conversation | null> {
    const [meta, messages] = await Promise.all([
      this.redis.hgetall<Record<string, string | number>>(keys.meta(owner, id)),
      this.redis.lrange<ChatMessage>(keys.messages(owner, id), 0, -1),
    ]);
    if (!meta) return null;
    return { id, ...summaryFields(meta), messages };
  }

  async listConversations(owner: string, limit: number): Promise<ConversationSummary[]> {
    const ids = await this.redis.zrange<string[]>(keys.index(owner), 0, limit - 1, { rev: true });
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.meta(owner, id));
    const metas = await pipeline.exec<(Meta | null)[]>();
    return ids.flatMap((id, i) => {
      const meta = metas[i];
      return meta ? [{ id, ...summaryFields(meta) }] : [];
    });
  }

  async deleteConversation(owner: string, id: string): Promise<boolean> {
    const removed = await this.redis.del(keys.meta(owner, id));
    if (removed === 0) return false;
    const tx = this.redis.multi();
    tx.del(keys.messages(owner, id), keys.owner(id));
    tx.zrem(keys.index(owner), id);
    await tx.exec();
    return true;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

function summaryFields(meta: Meta): { title: string; updatedAt: number } {
  return { title: String(meta.title ?? DEFAULT_TITLE), updatedAt: Number(meta.updatedAt ?? 0) };
}
