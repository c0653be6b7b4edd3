// Reply buffers in Redis through the Upstash REST client: one script call per append, stop check, poll or stop.
import type { Redis } from "@upstash/redis";
import { conversationKeys } from "../store/keys";
import {
  type BufferEntry,
  FINISHED_TTL_MS,
  replyStreamKeys as keys,
  type LatestReply,
  LIVE_TTL_MS,
  type LiveReplyHead,
  type LiveReplyRef,
  type ReplyStreamStore,
} from "./types";

/**
 * KEYS: 1 latest (hash), 2 chunks (list), 3 stop. ARGV: 1 stream id, 2 entry JSON, 3 head JSON or "",
 * 4 "1" on the last entry, 5 live TTL ms, 6 finished TTL ms. Answers 1 when Stop was asked for this stream.
 * The latest-reply hash is only touched while it still names this stream (a newer reply may have replaced it).
 */
const APPEND = `
if ARGV[3] ~= "" then
  redis.call("HSET", KEYS[1], "id", ARGV[1], "head", ARGV[3], "done", "0")
  redis.call("DEL", KEYS[3])
end
local ttl = ARGV[4] == "1" and ARGV[6] or ARGV[5]
redis.call("RPUSH", KEYS[2], ARGV[2])
redis.call("PEXPIRE", KEYS[2], ttl)
if redis.call("HGET", KEYS[1], "id") == ARGV[1] then
  if ARGV[4] == "1" then redis.call("HSET", KEYS[1], "done", "1") end
  redis.call("PEXPIRE", KEYS[1], ttl)
end
if redis.call("GET", KEYS[3]) == ARGV[1] then return 1 end
return 0
`;

/** KEYS: 1 latest, 2 chunks, 3 stop. ARGV: 1 stream id, 2 live TTL ms. Keeps a live buffer alive; 1 when stopped. */
const CHECK_STOP = `
if redis.call("HGET", KEYS[1], "id") == ARGV[1] and redis.call("HGET", KEYS[1], "done") == "0" then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  redis.call("PEXPIRE", KEYS[2], ARGV[2])
end
if redis.call("GET", KEYS[3]) == ARGV[1] then return 1 end
return 0
`;

/** KEYS: 1 latest, 2 conversation owner. ARGV: 1 owner. Answers [owned, head JSON or false, done]. */
const LATEST = `
if redis.call("GET", KEYS[2]) ~= ARGV[1] then return {0, false, false} end
local reply = redis.call("HMGET", KEYS[1], "head", "done")
return {1, reply[1], reply[2]}
`;

/** KEYS: 1 chunks. ARGV: 1 cursor. Answers [exists, entries from the cursor on…]. */
const READ = `
local exists = redis.call("EXISTS", KEYS[1])
local entries = redis.call("LRANGE", KEYS[1], ARGV[1], -1)
table.insert(entries, 1, exists)
return entries
`;

/** KEYS: 1 latest, 2 conversation owner, 3 stop. ARGV: 1 owner, 2 TTL ms. */
const REQUEST_STOP = `
if redis.call("GET", KEYS[2]) ~= ARGV[1] then return "not_found" end
local reply = redis.call("HMGET", KEYS[1], "id", "done")
if not reply[1] or reply[2] ~= "0" then return "none" end
redis.call("SET", KEYS[3], reply[1], "PX", ARGV[2])
return "stopping"
`;

/** The REST client JSON-parses string answers that look like JSON; a value may come either way. */
function decoded<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export class RedisReplyStreamStore implements ReplyStreamStore {
  private readonly appendScript;
  private readonly checkScript;
  private readonly latestScript;
  private readonly readScript;
  private readonly stopScript;

  constructor(redis: Redis) {
    this.appendScript = redis.createScript<number>(APPEND);
    this.checkScript = redis.createScript<number>(CHECK_STOP);
    this.latestScript = redis.createScript<[number, unknown, unknown]>(LATEST);
    this.readScript = redis.createScript<unknown[]>(READ);
    this.stopScript = redis.createScript<string>(REQUEST_STOP);
  }

  async append(ref: LiveReplyRef, entry: BufferEntry, head?: LiveReplyHead): Promise<boolean> {
    const stopped = await this.appendScript.exec(
      [
        keys.latest(ref.owner, ref.conversationId),
        keys.chunks(ref.streamId),
        keys.stop(ref.owner, ref.conversationId),
      ],
      [
        ref.streamId,
        JSON.stringify(entry),
        head ? JSON.stringify(head) : "",
        entry.end ? "1" : "0",
        String(LIVE_TTL_MS),
        String(FINISHED_TTL_MS),
      ],
    );
    return Number(stopped) === 1;
  }

  async stopRequested(ref: LiveReplyRef): Promise<boolean> {
    const stopped = await this.checkScript.exec(
      [
        keys.latest(ref.owner, ref.conversationId),
        keys.chunks(ref.streamId),
        keys.stop(ref.owner, ref.conversationId),
      ],
      [ref.streamId, String(LIVE_TTL_MS)],
    );
    return Number(stopped) === 1;
  }

  async latest(owner: string, conversationId: string): Promise<LatestReply> {
    const [owned, head, done] = await this.latestScript.exec(
      [keys.latest(owner, conversationId), conversationKeys.owner(conversationId)],
      [owner],
    );
    if (Number(owned) !== 1) return { owned: false, head: null };
    if (!head) return { owned: true, head: null };
    return { owned: true, head: { ...decoded<LiveReplyHead>(head), done: String(done) === "1" } };
  }

  async read(streamId: string, cursor: number): Promise<BufferEntry[] | null> {
    const [exists, ...entries] = await this.readScript.exec([keys.chunks(streamId)], [String(cursor)]);
    if (Number(exists) !== 1) return null;
    return entries.map((entry) => decoded<BufferEntry>(entry));
  }

  async requestStop(owner: string, conversationId: string): Promise<"stopping" | "none" | "not_found"> {
    const answer = await this.stopScript.exec(
      [
        keys.latest(owner, conversationId),
        conversationKeys.owner(conversationId),
        keys.stop(owner, conversationId),
      ],
      [owner, String(FINISHED_TTL_MS)],
    );
    return answer === "stopping" || answer === "not_found" ? answer : "none";
  }
}
