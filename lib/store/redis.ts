// Upstash Redis ChatStore: conversations survive restarts and are shared by every instance.
import type { Redis } from "@upstash/redis";
import { encodeTitle, conversationKeys as keys } from "./keys";
import {
  type ChatMessage,
  type ChatStore,
  type Conversation,
  type ConversationSummary,
  DEFAULT_TITLE,
} from "./types";

// Renames only a conversation that exists: a plain HSET would recreate the hash of one deleted meanwhile.
const RENAME_SCRIPT = `
if redis.call("EXISTS", KEYS[1]) == 0 then return false end
redis.call("HSET", KEYS[1], "title", ARGV[1])
return redis.call("HGET", KEYS[1], "updatedAt")
`;

interface Meta {
  title?: string;
  updatedAt?: number | string;
}

export class RedisChatStore implements ChatStore {
  readonly kind = "redis" as const;
  private readonly renameScript;

  constructor(private readonly redis: Redis) {
    this.renameScript = redis.createScript<number | string | null>(RENAME_SCRIPT);
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

  async renameConversation(owner: string, id: string, title: string): Promise<ConversationSummary | null> {
    const updatedAt = await this.renameScript.exec([keys.meta(owner, id)], [encodeTitle(title)]);
    if (updatedAt === null) return null;
    return { id, title, updated_at: Number(updatedAt) };
  }

  async deleteConversation(owner: string, id: string): Promise<boolean> {
    const removed = await this.redis.del(keys.meta(owner, id));
    if (removed === 0) return false;
    const tx = this.redis.multi();
    tx.del(keys.messages(owner, id), keys.messageIds(owner, id), keys.owner(id));
    tx.zrem(keys.index(owner), id);
    await tx.exec();
    return true;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

function summaryFields(meta: Meta): { title: string; updated_at: number } {
  return { title: String(meta.title ?? DEFAULT_TITLE), updated_at: Number(meta.updatedAt ?? 0) };
}
