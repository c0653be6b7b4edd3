// Who signed in under which display name: the operator finds a user's key by a name prefix, in memory or Redis.
import type { Redis } from "@upstash/redis";
import { characterCount, cleanTitle } from "../text/sanitize";

export { MAX_USERS_FOUND } from "../wire/admin";
/** Names are kept (and searched) up to this many characters: longer ones are cut, never refused at sign-in. */
export const MAX_DIRECTORY_NAME_CHARS = 64;
/** The memory store forgets the least recently signed-in users past this many (a laptop's bound). */
const MAX_MEMORY_USERS = 10_000;

export interface DirectoryUser {
  /** `user:<id>`, as the limiter and the console write it. */
  key: string;
  name: string;
}

export interface UserDirectory {
  /** Remembers `name` as `key`'s display name, replacing the name it had (a renamed user is found by the new one). */
  record(key: string, name: string): Promise<void>;
  /** Users whose name starts with `prefix` (case-insensitive), by name then key, at most `limit`. */
  search(prefix: string, limit: number): Promise<DirectoryUser[]>;
}

/** A display name as the directory keeps it: one clean line (lib/text/sanitize), cut to the cap; "" when nothing is left. */
export function directoryName(raw: string): string {
  const clean = cleanTitle(raw);
  return characterCount(clean) <= MAX_DIRECTORY_NAME_CHARS
    ? clean
    : [...clean].slice(0, MAX_DIRECTORY_NAME_CHARS).join("").trimEnd();
}

/** The form names are compared in: locale-independent lower case, so "ADA", "ada" and "Ada" all find Ada. */
export const searchForm = (name: string) => directoryName(name).toLowerCase();

const byNameThenKey = (a: DirectoryUser, b: DirectoryUser) => {
  const [x, y] = [`${searchForm(a.name)}\u0000${a.key}`, `${searchForm(b.name)}\u0000${b.key}`];
  return x < y ? -1 : x > y ? 1 : 0;
};

export class MemoryUserDirectory implements UserDirectory {
  private readonly names = new Map<string, string>();

  async record(key: string, name: string): Promise<void> {
    // Re-inserted so the map's order is least recently signed in first: the one dropped past the bound.
    this.names.delete(key);
    this.names.set(key, directoryName(name));
    if (this.names.size > MAX_MEMORY_USERS) {
      const oldest = this.names.keys().next().value;
      if (oldest !== undefined) this.names.delete(oldest);
    }
  }

  async search(prefix: string, limit: number): Promise<DirectoryUser[]> {
    const wanted = searchForm(prefix);
    const found: DirectoryUser[] = [];
    for (const [key, name] of this.names) {
      if (searchForm(name).startsWith(wanted)) found.push({ key, name });
    }
    return found.sort(byNameThenKey).slice(0, limit);
  }
}

/**
 * Redis: a sorted set of `lower(name) \0 key \0 name` members (all scores 0, so ZRANGEBYLEX orders them by
 * bytes: a prefix is a range) and a hash key → member, which finds the old member on a rename. Names and keys
 * hold no NUL (sanitized; keys are printable), and UTF-8 never has byte 0xFF, the range's upper end.
 */
const RECORD = `
local old = redis.call("HGET", KEYS[2], ARGV[1])
if old == ARGV[2] then return 0 end
if old then redis.call("ZREM", KEYS[1], old) end
redis.call("ZADD", KEYS[1], 0, ARGV[2])
redis.call("HSET", KEYS[2], ARGV[1], ARGV[2])
return 1`;

const SEARCH = `
return redis.call("ZRANGEBYLEX", KEYS[1], "[" .. ARGV[1], "[" .. ARGV[1] .. "\\255", "LIMIT", 0, tonumber(ARGV[2]))`;

export const userDirectoryKeys = {
  /** Sorted set of `lower(name) \0 key \0 name`. */
  byName: "users:by-name",
  /** Hash: user key → its member in `byName`. */
  entryOf: "users:entry",
};

export class RedisUserDirectory implements UserDirectory {
  constructor(private readonly redis: Redis) {}

  async record(key: string, name: string): Promise<void> {
    const member = `${searchForm(name)}\u0000${key}\u0000${directoryName(name)}`;
    await this.redis.eval(RECORD, [userDirectoryKeys.byName, userDirectoryKeys.entryOf], [key, member]);
  }

  async search(prefix: string, limit: number): Promise<DirectoryUser[]> {
    const members = await this.redis.eval<string[], unknown[]>(
      SEARCH,
      [userDirectoryKeys.byName],
      [searchForm(prefix), String(limit)],
    );
    return members.flatMap((member) => {
      const [, key, name] = String(member).split("\u0000");
      return key && name ? [{ key, name }] : [];
    });
  }
}
