// Operator-store calls, bounded like every store call: a slow or failed store is a 503 JSON answer, never a hang.
import { requireStore } from "../resilience/degrade";

/**
 * Runs `operation` within RATE_LIMIT_TIMEOUT_MS (and records the store's health, as every store call does).
 * A change that timed out may still land late, so the answer says to check rather than "nothing changed".
 */
export function operatorCall<T>(operation: () => Promise<T>): Promise<T> {
  return requireStore(
    operation,
    "The store did not answer in time. Look the key up again before retrying a change.",
  );
}
