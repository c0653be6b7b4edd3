// Tracks whether the shared store (Redis) is failing: the circuit the admission step and /api/health read.
import { processState } from "../process-state";

const WARN_INTERVAL_MS = 30_000;
/** While the store is failing, one request per interval still tries it, to notice recovery. */
const PROBE_INTERVAL_MS = 2_000;

interface StoreHealth {
  failingSince: number | null;
  lastWarnAt: number;
  lastError: string | null;
  lastProbeAt: number;
}

const health = () =>
  processState<StoreHealth>("store-health", () => ({
    failingSince: null,
    lastWarnAt: 0,
    lastError: null,
    lastProbeAt: 0,
  }));

/**
 * A store error as one line fit for the logs: Upstash's errors quote the whole command, and with it what a person
 * wrote (a saved exchange, a reply's chunks), which must never reach the logs.
 */
export function storeErrorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(", command was:")[0] ?? text;
}

export function reportStoreFailure(error: unknown, now = Date.now()): void {
  const h = health();
  h.failingSince ??= now;
  // A failure is as good as a probe: the next one is due a full interval later.
  h.lastProbeAt = now;
  h.lastError = storeErrorSummary(error);
  // One warning per interval: during an outage every request fails, and a log line each would drown the logs.
  if (now - h.lastWarnAt >= WARN_INTERVAL_MS) {
    h.lastWarnAt = now;
    console.warn(`[store] Redis unavailable (${h.lastError}); enforcing limits locally on this instance`);
  }
}

export function reportStoreSuccess(): void {
  const h = health();
  if (h.failingSince !== null) console.info("[store] Redis answering again");
  h.failingSince = null;
  h.lastError = null;
}

export function storeFailingSince(): number | null {
  return health().failingSince;
}

/**
 * Whether a request should try the store now: always while it is healthy; during an outage once per
 * PROBE_INTERVAL_MS, so requests don't each wait for a dead store but its return is noticed.
 */
export function shouldTryStore(now = Date.now()): boolean {
  const h = health();
  if (h.failingSince === null) return true;
  if (now - h.lastProbeAt < PROBE_INTERVAL_MS) return false;
  h.lastProbeAt = now;
  return true;
}
