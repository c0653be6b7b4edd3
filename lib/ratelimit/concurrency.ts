// Caps replies streaming at once per identity with leased slots (Redis sorted set or memory) that expire.
import type { Redis } from "@upstash/redis";
import { getConfig } from "../config";
import { getRedis } from "../redis";
import { degradeOnFailure } from "../resilience/degrade";

/** A slot's lease; renewed while the reply streams, so a crashed instance frees it within this time. */
export const SLOT_LEASE_MS = 10_000;
const RENEW_EVERY_MS = 3_000;

export type SlotAttempt =
  | { acquired: true; release(): Promise<void> }
  | { acquired: false; limit: number /** epoch ms at which the oldest lease lapses */; freesAt: number };

interface SlotBackend {
  acquire(key: string, member: string, max: number, now: number): Promise<{ ok: boolean; freesAt: number }>;
  renew(key: string, member: string, now: number): Promise<void>;
  release(key: string, member: string): Promise<void>;
}

const ACQUIRE_SCRIPT = `
local key, now, lease, max, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call("ZREMRANGEBYSCORE", key, "-inf", now)
if redis.call("ZCARD", key) < max then
  redis.call("ZADD", key, now + lease, member)
  redis.call("PEXPIRE", key, lease)
  return {1, 0}
end
local oldest = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
return {0, tonumber(oldest[2])}
`;

class RedisSlots implements SlotBackend {
  private readonly acquireScript;
  constructor(private readonly redis: Redis) {
    this.acquireScript = redis.createScript<[number, number]>(ACQUIRE_SCRIPT);
  }
  async acquire(key: string, member: string, max: number, now: number) {
    const [ok, freesAt] = await this.acquireScript.exec(
      [key],
      [String(now), String(SLOT_LEASE_MS), String(max), member],
    );
    return { ok: ok === 1, freesAt: Number(freesAt) };
  }
  async renew(key: string, member: string, now: number) {
    const tx = this.redis.multi();
    tx.zadd(key, { xx: true }, { score: now + SLOT_LEASE_MS, member });
    tx.pexpire(key, SLOT_LEASE_MS);
    await tx.exec();
  }
  async release(key: string, member: string) {
    await this.redis.zrem(key, member);
  }
}

class MemorySlots implements SlotBackend {
  private readonly slots = new Map<string, Map<string, number>>();
  private live(key: string, now: number): Map<string, number> {
    const held = this.slots.get(key) ?? new Map<string, number>();
    for (const [member, expiresAt] of held) if (expiresAt <= now) held.delete(member);
    return held;
  }
  async acquire(key: string, member: string, max: number, now: number) {
    const held = this.live(key, now);
    if (held.size < max) {
      held.set(member, now + SLOT_LEASE_MS);
      this.slots.set(key, held);
      return { ok: true, freesAt: 0 };
    }
    return { ok: false, freesAt: Math.min(...held.values()) };
  }
  async renew(key: string, member: string, now: number) {
    const held = this.slots.get(key);
    if (held?.has(member)) held.set(member, now + SLOT_LEASE_MS);
  }
  async release(key: string, member: string) {
    const held = this.slots.get(key);
    held?.delete(member);
    if (held?.size === 0) this.slots.delete(key);
  }
}

const globalSlots = globalThis as typeof globalThis & { __streamSlots?: SlotBackend };
function backend(): SlotBackend {
  if (!globalSlots.__streamSlots) {
    const redis = getRedis();
    globalSlots.__streamSlots = redis ? new RedisSlots(redis) : new MemorySlots();
  }
  return globalSlots.__streamSlots;
}

/** Takes one of the identity's `CHAT_MAX_CONCURRENT_STREAMS` slots; 0 disables the cap. */
export async function acquireStreamSlot(limitKey: string): Promise<SlotAttempt> {
  const max = getConfig().maxConcurrentStreams;
  if (max === 0) return { acquired: true, release: async () => {} };
  const key = `streams:${limitKey}`;
  const member = crypto.randomUUID();
  const slots = backend();
  // Fail open like the limiter: a store outage must not turn into "too many streams".
  const { ok, freesAt } = await degradeOnFailure(() => slots.acquire(key, member, max, Date.now()), {
    ok: true,
    freesAt: 0,
  });
  if (!ok) return { acquired: false, limit: max, freesAt };

  const renewTimer = setInterval(() => {
    slots.renew(key, member, Date.now()).catch(() => {});
  }, RENEW_EVERY_MS);
  renewTimer.unref?.();
  let released = false;
  return {
    acquired: true,
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(renewTimer);
      await slots.release(key, member).catch(() => {});
    },
  };
}

/** Tests only. */
export function resetStreamSlotsForTests(): void {
  globalSlots.__streamSlots = undefined;
}
