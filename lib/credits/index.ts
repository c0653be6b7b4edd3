// Daily token credits per identity (user, or IP for guests): counted from finished replies, enforced with 402.
import type { Redis } from "@upstash/redis";
import { getConfig } from "../config";
import { ApiError } from "../http/errors";
import { getRedis } from "../redis";
import { degradeOnFailure } from "../resilience/degrade";

export interface UsageSnapshot {
  used: number;
  remaining: number;
  budget: number;
  resets_at: string;
}

interface UsageCounter {
  get(key: string): Promise<number>;
  add(key: string, tokens: number): Promise<void>;
}

const DAY_MS = 86_400_000;

class RedisUsageCounter implements UsageCounter {
  constructor(private readonly redis: Redis) {}
  async get(key: string): Promise<number> {
    return Number((await this.redis.get<number>(key)) ?? 0);
  }
  async add(key: string, tokens: number): Promise<void> {
    const tx = this.redis.multi();
    tx.incrby(key, tokens);
    tx.expire(key, 2 * 86_400); // a day's counter outlives its day only long enough to be read at the boundary
    await tx.exec();
  }
}

class MemoryUsageCounter implements UsageCounter {
  private readonly counts = new Map<string, number>();
  private day = "";
  async get(key: string): Promise<number> {
    return this.counts.get(key) ?? 0;
  }
  async add(key: string, tokens: number): Promise<void> {
    // Keys carry the day; dropping yesterday's on the first write of a new day keeps memory bounded.
    const today = utcDay(Date.now());
    if (today !== this.day) {
      for (const k of this.counts.keys()) if (!k.endsWith(`:${today}`)) this.counts.delete(k);
      this.day = today;
    }
    this.counts.set(key, (this.counts.get(key) ?? 0) + tokens);
  }
}

function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

const usageKey = (limitKey: string, now: number) => `usage:${limitKey}:${utcDay(now)}`;

const globalCounter = globalThis as typeof globalThis & { __usageCounter?: UsageCounter };
function counter(): UsageCounter {
  if (!globalCounter.__usageCounter) {
    const redis = getRedis();
    globalCounter.__usageCounter = redis ? new RedisUsageCounter(redis) : new MemoryUsageCounter();
  }
  return globalCounter.__usageCounter;
}

export async function getUsage(limitKey: string, now = Date.now()): Promise<UsageSnapshot> {
  const budget = getConfig().credits.dailyTokenBudget;
  // Credits are billing, not abuse protection: during a store outage they read as unused rather than failing chat.
  const used = budget > 0 ? await degradeOnFailure(() => counter().get(usageKey(limitKey, now)), 0) : 0;
  const resetsAt = new Date((Math.floor(now / DAY_MS) + 1) * DAY_MS).toISOString();
  return { used, remaining: Math.max(0, budget - used), budget, resets_at: resetsAt };
}

/** Throws 402 payment_required when today's budget is used up; budget 0 disables credits. */
export async function assertCreditsLeft(limitKey: string): Promise<void> {
  const { credits } = getConfig();
  if (credits.dailyTokenBudget === 0) return;
  const usage = await getUsage(limitKey);
  if (usage.remaining > 0) return;
  throw new ApiError(
    "payment_required",
    `You've used today's ${usage.budget.toLocaleString("en-US")} tokens of chat credits. They reset at ${usage.resets_at}.`,
    {
      resets_at: usage.resets_at,
      used: usage.used,
      budget: usage.budget,
      paywall_url: credits.paywallUrl ?? null,
    },
  );
}

export async function recordUsage(limitKey: string, tokens: number): Promise<void> {
  if (getConfig().credits.dailyTokenBudget === 0 || !(tokens > 0)) return;
  await counter().add(usageKey(limitKey, Date.now()), Math.ceil(tokens));
}

/** Tests only. */
export function resetCreditsForTests(): void {
  globalCounter.__usageCounter = undefined;
}
