// Tracks whether the limiter's store is failing, so /api/health can say "degraded" and logs stay quiet.
const WARN_INTERVAL_MS = 30_000;

const state = globalThis as typeof globalThis & {
  __limiterHealth?: { failingSince: number | null; lastWarnAt: number; lastError: string | null };
};
state.__limiterHealth ??= { failingSince: null, lastWarnAt: 0, lastError: null };
const health = state.__limiterHealth;

export function reportLimiterFailure(error: unknown, now = Date.now()): void {
  health.failingSince ??= now;
  health.lastError = error instanceof Error ? error.message : String(error);
  // One warning per interval: during an outage every request fails, and a log line each would drown the logs.
  if (now - health.lastWarnAt >= WARN_INTERVAL_MS) {
    health.lastWarnAt = now;
    console.warn(
      `[ratelimit] limiter store unavailable (${health.lastError}); applying RATE_LIMIT_FAIL_MODE`,
    );
  }
}

export function reportLimiterSuccess(): void {
  if (health.failingSince !== null) console.info("[ratelimit] limiter store answering again");
  health.failingSince = null;
  health.lastError = null;
}

export function limiterFailingSince(): number | null {
  return health.failingSince;
}
