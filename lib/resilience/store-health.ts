// Tracks whether the shared store (Redis) is failing: /api/health says "degraded", logs stay quiet.
const WARN_INTERVAL_MS = 30_000;

const state = globalThis as typeof globalThis & {
  __storeHealth?: { failingSince: number | null; lastWarnAt: number; lastError: string | null };
};
state.__storeHealth ??= { failingSince: null, lastWarnAt: 0, lastError: null };
const health = state.__storeHealth;

export function reportStoreFailure(error: unknown, now = Date.now()): void {
  health.failingSince ??= now;
  health.lastError = error instanceof Error ? error.message : String(error);
  // One warning per interval: during an outage every request fails, and a log line each would drown the logs.
  if (now - health.lastWarnAt >= WARN_INTERVAL_MS) {
    health.lastWarnAt = now;
    console.warn(`[store] Redis unavailable (${health.lastError}); applying RATE_LIMIT_FAIL_MODE`);
  }
}

export function reportStoreSuccess(): void {
  if (health.failingSince !== null) console.info("[store] Redis answering again");
  health.failingSince = null;
  health.lastError = null;
}

export function storeFailingSince(): number | null {
  return health.failingSince;
}
