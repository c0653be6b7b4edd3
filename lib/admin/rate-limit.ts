// The operator API's own limits: each operator's reads and changes per minute, counted in the shared store.
import { getConfig } from "../config";
import { ApiError } from "../http/errors";
import { services } from "../services";
import { operatorCall } from "./store-call";

const WINDOW_MS = 60_000;

/**
 * Counts one admin request of `actor` (reads: GET; changes: everything else) and throws 429 with
 * Retry-After past the per-minute limit. Counted per actor across every instance, so a leaked session or a
 * runaway script can't flood the store or the audit log; the console itself polls ~36 reads a minute.
 */
export async function limitOperatorRequest(actor: string, method: string, now: number): Promise<void> {
  const { admin } = getConfig();
  const kind = method === "GET" ? "read" : "change";
  const limit = kind === "read" ? admin.readsPerMinute : admin.changesPerMinute;
  if (limit === 0) return;
  const { allowed, resetAt } = await operatorCall(() =>
    services().operator.hit(`${kind}:${actor}`, limit, WINDOW_MS, now),
  );
  if (allowed) return;
  const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
  throw new ApiError(
    "rate_limited",
    `Too many operator ${kind}s: at most ${limit} a minute. Try again in ${seconds} s.`,
    { retry_after_seconds: seconds, limit },
    { "Retry-After": String(seconds) },
  );
}
