// Tracks whether the shared store (Redis) is failing: /api/health says "degraded", logs stay quiet.
const WARN_INTERVAL_MS = 30_000;
/** While the store is failing, one optional operation per interval still tries it, to notice recovery. */
const PROBE_INTERVAL_MS = 2_000;

const state = globalThis as typeof globalThis & {
  __storeHealth?: {
    failingSince: number | null;
    lastWarnAt: number;
    lastError: string | null;
    lastProbeAt: number;
  };
};
state.__storeHealth ??= { failingSince: null, lastWarnAt: 0, lastError: null, lastProbeAt: 0 };
const health = state.__storeHealth;

export function reportStoreFailure(error: unknown, now = Date.now()): void {
  health.failingSince ??= now;
  // A failure is as good as a probe: the next one is due a full interval later.
  health.lastProbeAt = now;
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

/**
 * Whether an optional store operation should try the store now: always while it is healthy; during an
 * outage once per PROBE_INTERVAL_MS, so a deployment whose limiter is off still notices Redis coming back.
 */
export function shouldTryStore(now = Date.now()): boolean {
  if (health.failingSince === null) return true;
  if (now - health.lastProbeAt < PROBE_INTERVAL_MS) return false;
  health.lastProbeAt = now;
  return true;
}
