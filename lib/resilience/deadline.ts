// A timeout for store calls that measures the store, not the event loop.

export class StoreTimeoutError extends Error {
  constructor(ms: number) {
    super(`store did not answer within ${ms} ms`);
    this.name = "StoreTimeoutError";
  }
}

/** How often the deadline looks at the clock; each look credits at most this much time to the store. */
const STEP_MS = 25;
/** Even a saturated loop gives up after this many times the deadline of wall-clock time. */
const WALL_CLOCK_FACTOR = 8;

/**
 * Settles as `promise` does, or rejects with StoreTimeoutError once the store has had `ms` of time to answer.
 *
 * A plain `setTimeout(ms)` counts the event loop's delays against the store: on a saturated server the
 * store's answer may sit in the socket while the timer's callback runs first (timers run before I/O in
 * each turn of the loop), and a healthy store is then declared down — which, under a flood, turned limits
 * off. Here the clock is read every STEP_MS and each look credits at most STEP_MS, however late the timer
 * fired; and when the credit runs out, one more turn of the loop (setImmediate, after I/O) lets an answer
 * that already arrived be read before the deadline is called.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let credited = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const startedAt = performance.now();
    const finish = () => {
      settled = true;
      clearTimeout(timer);
    };
    promise.then(
      (value) => {
        if (settled) return;
        finish();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        finish();
        reject(error);
      },
    );
    const step = Math.min(STEP_MS, ms);
    let last = startedAt;
    const look = () => {
      if (settled) return;
      const now = performance.now();
      credited += Math.min(step, now - last);
      last = now;
      if (credited < ms && now - startedAt < ms * WALL_CLOCK_FACTOR) {
        timer = setTimeout(look, step);
        return;
      }
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new StoreTimeoutError(ms));
      });
    };
    timer = setTimeout(look, step);
  });
}
