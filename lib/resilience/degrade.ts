// Bounded store calls outside the chat path: a 503 JSON answer, or a fallback, instead of a hang or a 500.
import { getConfig } from "../config";
import { ApiError } from "../http/errors";
import { withDeadline } from "./deadline";
import { reportStoreFailure, reportStoreSuccess, shouldTryStore } from "./store-health";

/** One bounded store call that records the store's health either way; rethrows the failure. */
export async function attemptStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    const result = await withDeadline(operation(), getConfig().rateLimit.timeoutMs);
    reportStoreSuccess();
    return result;
  } catch (error) {
    reportStoreFailure(error);
    throw error;
  }
}

/**
 * Runs a store operation whose answer can be done without (usage figures): falls back instead of failing.
 * While the store is known to be down the fallback is used at once, but for one probe every few seconds.
 */
export async function degradeOnFailure<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
  if (!shouldTryStore()) return fallback;
  return attemptStore(operation).catch(() => fallback);
}

/**
 * Runs a store operation a route cannot do without (listing, reading, deleting conversations): bounded by
 * RATE_LIMIT_TIMEOUT_MS, and a failure becomes a 503 JSON answer instead of an unhandled 500.
 */
export async function requireStore<T>(
  operation: () => Promise<T>,
  message = "Conversations are temporarily unavailable. Please try again in a few seconds.",
): Promise<T> {
  return attemptStore(operation).catch(() => {
    throw new ApiError("unavailable", message, {}, { "Retry-After": "5" });
  });
}
