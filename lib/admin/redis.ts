// The operator's store on Upstash Redis: every instance sees the same blocks, resets, stats and audit log.
import type { Redis } from "@upstash/redis";
import { admissionKeys } from "../admission/budget";
import {
  type AuditEntry,
  type BlockEntry,
  MAX_AUDIT_ENTRIES,
  MAX_LISTED_BLOCKS,
  type MinuteCounts,
  type OperatorStore,
} from "./types";

const AUDIT_KEY = "audit";

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

  async clearBlock(target: string): Promise<boolean> {
    const tx = this.redis.multi();
    tx.del(admissionKeys.block(target));
    tx.zrem(admissionKeys.blocks(), target);
    // Lifting an automatic block also forgets the refusals that led to it: the next one starts a new count.
    tx.del(admissionKeys.abuse(target));
    const [deleted] = await tx.exec<[number, number, number]>();
    return deleted > 0;
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

  async appendAudit(entry: AuditEntry): Promise<void> {
    const tx = this.redis.multi();
    tx.lpush(AUDIT_KEY, JSON.stringify(entry));
    tx.ltrim(AUDIT_KEY, 0, MAX_AUDIT_ENTRIES - 1);
    await tx.exec();
  }

  async audit(limit: number): Promise<AuditEntry[]> {
    return this.redis.lrange<AuditEntry>(AUDIT_KEY, 0, limit - 1);
  }
}
