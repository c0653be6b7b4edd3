// Bounded waits on the shared store, and graceful fallbacks when it is down (a circuit opened by failures).
import { getConfig } from "../config";
import { ApiError } from "../http/errors";
import { reportStoreFailure, reportStoreSuccess, shouldTryStore } from "./store-health";

export class StoreTimeoutError extends Error {
  constructor(ms: number) {
    super(`store did not answer within ${ms} ms`);
    this.name = "StoreTimeoutError";
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(ms)), ms);
  });
  // A late answer after the timeout must not surface as an unhandled rejection.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One bounded store call that records the store's health either way; rethrows the failure. */
async function attemptStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    const result = await withTimeout(operation(), getConfig().rateLimit.timeoutMs);
    reportStoreSuccess();
    return result;
  } catch (error) {
    reportStoreFailure(error);
    throw error;
  }
}

/**
 * Runs a non-essential store operation of the chat path (history, ownership, credits, stream slots) and
 * falls back instead of failing the request. While the store is known to be down, the fallback is used at
 * once (but for one probe every few seconds), so a request waits about one RATE_LIMIT_TIMEOUT_MS at most.
 */
export async function degradeOnFailure<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
  if (!shouldTryStore()) return fallback;
  return attemptStore(operation).catch(() => fallback);
}

/**
 * Runs a store operation a route cannot do without (listing, reading, deleting conversations): bounded by
 * RATE_LIMIT_TIMEOUT_MS, and a failure becomes a 503 JSON answer instead of an unhandled 500.
 */
export async function requireStore<T>(operation: () => Promise<T>): Promise<T> {
  return attemptStore(operation).catch(() => {
    throw new ApiError(
      "unavailable",
      "Conversations are temporarily unavailable. Please try again in a few seconds.",
      {},
      { "Retry-After": "5" },
    );
  });
}
