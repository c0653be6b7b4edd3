// The operator's store on Upstash Redis: every instance sees the same blocks, resets, stats and audit log.
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { admissionKeys } from "../admission/budget";
import { AUDIT_APPEND_LUA } from "./audit-lua";
import {
  AUDIT_RETENTION_MS,
  type AuditEntry,
  type BlockEntry,
  MAX_LISTED_BLOCKS,
  type MinuteCounts,
  type OperatorStore,
} from "./types";

const APPEND_AUDIT = `${AUDIT_APPEND_LUA}
appendAudit(KEYS[1], tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]))`;

/** An audit entry as the sorted set holds it: `at` in epoch ms (the scripts can't write ISO dates), unique `id`. */
type StoredAuditEntry = Omit<AuditEntry, "at"> & { at: number; id: string };

// Lifting a block also forgets the refusals that led to it (the next one starts a new count) — but only when
// there is a live block to lift: a no-op changes nothing.
const CLEAR_BLOCK = `
local raw = redis.call("GET", KEYS[1])
if not raw then return nil end
redis.call("DEL", KEYS[1], KEYS[3])
redis.call("ZREM", KEYS[2], ARGV[1])
return raw`;

export class RedisOperatorStore implements OperatorStore {
  constructor(private readonly redis: Redis) {}

  async getBlock(target: string, now: number): Promise<BlockEntry | null> {
    const block = await this.redis.get<{ until: number; reason: string }>(admissionKeys.block(target));
    return block && block.until > now ? { target, until: block.until, reason: block.reason } : null;
  }

  async setBlock({ target, until, reason }: BlockEntry, now: number): Promise<void> {
    const tx = this.redis.multi();
    tx.set(admissionKeys.block(target), JSON.stringify({ until, reason }), { px: Math.max(1, until - now) });
    tx.zadd(admissionKeys.blocks(), { score: until, member: target });
    await tx.exec();
  }

  async clearBlock(target: string, now: number): Promise<BlockEntry | null> {
    const keys = [admissionKeys.block(target), admissionKeys.blocks(), admissionKeys.abuse(target)];
    const block = await this.redis.eval<string[], { until: number; reason: string } | null>(
      CLEAR_BLOCK,
      keys,
      [target],
    );
    return block && block.until > now ? { target, until: block.until, reason: block.reason } : null;
  }

  async listBlocks(now: number): Promise<BlockEntry[]> {
    await this.redis.zremrangebyscore(admissionKeys.blocks(), "-inf", now);
    const targets = await this.redis.zrange<string[]>(admissionKeys.blocks(), 0, MAX_LISTED_BLOCKS - 1);
    if (targets.length === 0) return [];
    const blocks = await this.redis.mget<({ until: number; reason: string } | null)[]>(
      ...targets.map(admissionKeys.block),
    );
    return targets.flatMap((target, i) => {
      const block = blocks[i];
      return block && block.until > now ? [{ target, until: block.until, reason: block.reason }] : [];
    });
  }

  async clearWindows(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async minutes(first: number, last: number): Promise<MinuteCounts[]> {
    const pipeline = this.redis.pipeline();
    for (let minute = first; minute <= last; minute++) {
      pipeline.hgetall(admissionKeys.stats(minute));
      pipeline.zrange(admissionKeys.statsTop(minute), 0, 9, { rev: true, withScores: true });
    }
    const results = await pipeline.exec<(Record<string, number> | (string | number)[] | null)[]>();
    const out: MinuteCounts[] = [];
    for (let minute = first, i = 0; minute <= last; minute++, i += 2) {
      const counts = results[i] as Record<string, number> | null;
      if (!counts) continue;
      const pairs = (results[i + 1] as (string | number)[] | null) ?? [];
      const top: Record<string, number> = {};
      for (let j = 0; j + 1 < pairs.length; j += 2) top[String(pairs[j])] = Number(pairs[j + 1]);
      out.push({
        minute,
        counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])),
        top,
      });
    }
    return out;
  }

  async appendAudit(entry: AuditEntry, now: number): Promise<void> {
    // Entries are made at `now` (recordChange): the retention counts back from it.
    const stored: StoredAuditEntry = { ...entry, at: now, id: crypto.randomUUID() };
    const args = [String(now), JSON.stringify(stored), String(AUDIT_RETENTION_MS)];
    await this.redis.eval(APPEND_AUDIT, [admissionKeys.audit()], args);
  }

  async audit(limit: number, offset: number): Promise<AuditEntry[]> {
    const stored = await this.redis.zrange<StoredAuditEntry[]>(
      admissionKeys.audit(),
      offset,
      offset + limit - 1,
      {
        rev: true,
      },
    );
    return stored.map(({ id: _id, at, ...entry }) => ({ ...entry, at: new Date(Number(at)).toISOString() }));
  }

  private readonly limiters = new Map<string, Ratelimit>();

  async hit(key: string, limit: number, windowMs: number) {
    const name = `${limit}/${windowMs}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      // The store call is bounded by the caller (operatorCall), so the library's own timeout (which lets a
      // request through) and its per-instance cache of refusals are off: every instance counts in Redis.
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.fixedWindow(limit, `${windowMs} ms`),
        prefix: "rl:admin",
        ephemeralCache: false,
        timeout: 0,
      });
      this.limiters.set(name, limiter);
    }
    const { success, reset } = await limiter.limit(key);
    return { allowed: success, resetAt: reset };
  }
}
