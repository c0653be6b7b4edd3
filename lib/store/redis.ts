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

// Moves a batch of conversations in one atomic step. KEYS: convs:<from>, convs:<to>, then per id the
// (from, to) pairs of meta, messages and message ids, and conv-owner:<id> (7 keys). ARGV: from, to, ids.
// Only ids `from` still owns move (another request may have deleted one meanwhile); SET and PERSIST drop
// the anonymous expiry because a user's conversations are kept.
const MOVE_CONVERSATIONS = `
local moved = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local k = 2 + (i - 3) * 7
  if redis.call('GET', KEYS[k + 7]) == ARGV[1] then
    for pair = 0, 2 do
      local source, target = KEYS[k + 1 + pair * 2], KEYS[k + 2 + pair * 2]
      if redis.call('EXISTS', source) == 1 then
        redis.call('RENAME', source, target)
        redis.call('PERSIST', target)
      end
    end
    redis.call('SET', KEYS[k + 7], ARGV[2])
    local score = redis.call('ZSCORE', KEYS[1], id)
    if score then redis.call('ZADD', KEYS[2], score, id) end
    moved = moved + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
return moved`;
const MOVE_BATCH = 100;

// The stored size of a conversation's newest ARGV[2] messages, counted as the admission script counts it (the
// raw JSON's bytes); false unless ARGV[1] owns it. KEYS: conv-owner:<id>, msgs:<owner>:<id>.
const HISTORY_BYTES_SCRIPT = `
if redis.call("GET", KEYS[1]) ~= ARGV[1] then return false end
local bytes = 0
for _, item in ipairs(redis.call("LRANGE", KEYS[2], -tonumber(ARGV[2]), -1)) do bytes = bytes + #item end
return bytes`;

interface Meta {
  title?: string;
  updatedAt?: number | string;
}

export class RedisChatStore implements ChatStore {
  readonly kind = "redis" as const;
  private readonly renameScript;
  private readonly moveScript;
  private readonly historyBytesScript;

  constructor(private readonly redis: Redis) {
    this.renameScript = redis.createScript<number | string | null>(RENAME_SCRIPT);
    this.moveScript = redis.createScript<number>(MOVE_CONVERSATIONS);
    this.historyBytesScript = redis.createScript<number | null>(HISTORY_BYTES_SCRIPT);
  }

  async getConversation(owner: string, id: string): Promise<Conversation | null> {
    const [meta, messages] = await Promise.all([
      this.redis.hgetall<Record<string, string | number>>(keys.meta(owner, id)),
      this.redis.lrange<ChatMessage>(keys.messages(owner, id), 0, -1),
    ]);
    if (!meta) return null;
    return { id, ...summaryFields(meta), messages };
  }

  async historyBytes(owner: string, id: string, limit: number): Promise<number | null> {
    const bytes = await this.historyBytesScript.exec(
      [keys.owner(id), keys.messages(owner, id)],
      [owner, String(limit)],
    );
    return bytes === null ? null : Number(bytes);
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

  async moveConversations(from: string, to: string): Promise<number> {
    let moved = 0;
    for (;;) {
      // Each batch removes its ids from the source index, so the next read starts with the rest.
      const ids = await this.redis.zrange<string[]>(keys.index(from), 0, MOVE_BATCH - 1);
      if (ids.length === 0) return moved;
      const perId = ids.flatMap((id) => [
        keys.meta(from, id),
        keys.meta(to, id),
        keys.messages(from, id),
        keys.messages(to, id),
        keys.messageIds(from, id),
        keys.messageIds(to, id),
        keys.owner(id),
      ]);
      const count = await this.moveScript.exec(
        [keys.index(from), keys.index(to), ...perId],
        [from, to, ...ids.map(String)],
      );
      moved += Number(count);
    }
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

function summaryFields(meta: Meta): { title: string; updated_at: number } {
  return { title: String(meta.title ?? DEFAULT_TITLE), updated_at: Number(meta.updatedAt ?? 0) };
}
