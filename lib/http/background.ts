// Schedules work that must finish after the response (Next's after()), even outside a request scope.
import { after } from "next/server";

/**
 * On Vercel, after() keeps the function alive until the promise settles. Called outside a Next request
 * scope (route handlers invoked directly by unit tests), after() throws; the work then simply runs detached.
 */
export function runAfterResponse(work: Promise<unknown>): void {
  const settled = work.catch((error) => console.error("[background] task failed", error));
  try {
    after(settled);
  } catch {
    // No request scope: nothing to extend; `settled` already runs and logs its own failure.
  }
}
