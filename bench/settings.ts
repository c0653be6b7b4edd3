// Every knob of `npm run bench` (BENCH_* variables) and the environment its `next start` servers share.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ENV_VARIABLES } from "../lib/config";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Never the `.next` other engineers and the e2e suite build into. */
export const DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";
if (resolve(ROOT, DIST_DIR) === resolve(ROOT, ".next")) {
  throw new Error(
    "BENCH_DIST_DIR must not be .next: the e2e suite builds there (the default is .next-bench)",
  );
}
export const CPUS = availableParallelism();

/** Every numeric knob with its default, in the order the docs list them. */
export const KNOBS: { name: string; fallback: number }[] = [];

function knob(name: string, fallback: number): number {
  KNOBS.push({ name, fallback });
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0 (got "${raw}")`);
  return value;
}

// throughput
export const DURATION_S = knob("BENCH_DURATION_S", 10);
/** Each scenario's DURATION_S is split into this many slices, interleaved with the other scenarios'. */
export const ROUNDS = Math.max(1, Math.round(knob("BENCH_ROUNDS", 5)));
export const WARMUP_S = knob("BENCH_WARMUP_S", 3);
export const CONNECTIONS = knob("BENCH_CONNECTIONS", 50);
// limiter-calls
export const COUNT_REQUESTS = knob("BENCH_COUNT_REQUESTS", 200);
// flood
export const FLOOD_IPS = knob("BENCH_FLOOD_IPS", 100_000);
export const FLOOD_CONNECTIONS = knob("BENCH_FLOOD_CONNECTIONS", 50);
export const FLOOD_MAX_S = knob("BENCH_FLOOD_MAX_S", 420);
/** Every Nth flood request is a full chat message; the others carry an invalid body (see the docs). */
export const FLOOD_CHAT_EVERY = Math.max(1, knob("BENCH_FLOOD_CHAT_EVERY", 20));
export const FLOOD_SETTLE_S = Math.max(2, knob("BENCH_FLOOD_SETTLE_S", 15));
// waiting for a quiet machine (throughput, flood)
export const QUIET_BELOW = knob("BENCH_QUIET_BELOW", 0.25);
export const QUIET_MAX_WAIT_S = knob("BENCH_QUIET_MAX_WAIT_S", 120);
// burst
export const BURST_CLIENTS = Math.max(1, knob("BENCH_BURST_CLIENTS", 1000));
export const BURST_ROUNDS = Math.max(1, knob("BENCH_BURST_ROUNDS", 3));
// round-trips
/** Timed requests per case (new conversation, follow-up) and per added delay. */
export const RTT_REQUESTS = Math.max(3, Math.round(knob("BENCH_RTT_REQUESTS", 40)));
/** Milliseconds the delay proxy adds to every store call in the delayed runs. */
export const RTT_DELAY_MS = Math.max(1, knob("BENCH_RTT_DELAY_MS", 40));

export const WRITE_DOCS = process.env.BENCH_WRITE_DOCS !== "0";
export const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === "1";

export const BLOCKED_IP = "203.0.113.7"; // TEST-NET-3; only ever a header value
export const ADMITTED_IP = "203.0.113.8";
export const JSON_HEADERS = { "content-type": "application/json" };
const BIG = "1000000000";

/** Environment every benchmark server shares (on top of test/support/app-server.ts's). */
export const BASE_ENV: Record<string, string> = {
  NODE_ENV: "production",
  OFFLINE_MODEL_DELAY_MS: "0",
  TRUSTED_PROXY_HOPS: "1",
  CHAT_MAX_CONCURRENT_STREAMS: "0",
  CHAT_DAILY_TOKEN_BUDGET: "0",
  // A limiter timeout becomes a visible 503 instead of a silently unlimited (and faster) request.
  RATE_LIMIT_FAIL_MODE: "closed",
  // This measures cost, not outage handling: with the default 500 ms, CPU starvation on a shared 2-core box can
  // trip a store timeout, and the app's store circuit then stays open (with limits OFF nothing closes it again),
  // so that server would silently stop using Redis for the rest of the run.
  RATE_LIMIT_TIMEOUT_MS: "5000",
};
export const LIMITS_OFF = {
  RATE_LIMIT_CHAT_PER_MIN: "0",
  RATE_LIMIT_CHAT_PER_HOUR: "0",
  RATE_LIMIT_CHAT_IP_PER_MIN: "0",
};
/** Every layer on, none ever reached. */
export const LIMITS_HUGE = {
  RATE_LIMIT_CHAT_PER_MIN: BIG,
  RATE_LIMIT_CHAT_PER_HOUR: BIG,
  RATE_LIMIT_CHAT_IP_PER_MIN: BIG,
};
/** Credits on, never used up. */
export const CREDITS_HUGE = { CHAT_DAILY_TOKEN_BUDGET: BIG };
// One request exhausts all three layers (so a refusal refunds nothing); hour-long windows so a fixed
// window cannot roll over during the run and let a request through.
export const LIMITS_ONE = {
  RATE_LIMIT_CHAT_PER_MIN: "1",
  RATE_LIMIT_CHAT_PER_HOUR: "1",
  RATE_LIMIT_CHAT_IP_PER_MIN: "1",
  RATE_LIMIT_MINUTE_WINDOW_SECONDS: "3600",
  RATE_LIMIT_HOUR_WINDOW_SECONDS: "3600",
};

/**
 * Makes this process's environment the benchmark's: startApp runs node_modules/.bin/next relative to the working
 * directory and passes process.env through, so every variable the app reads is dropped first (a real model key or
 * a remote Redis in the shell would change the code path). Deleted, not blanked: libraries read some directly.
 */
export function prepareEnvironment(): void {
  process.chdir(ROOT);
  for (const name of ENV_VARIABLES) delete process.env[name];
  process.env.NEXT_DIST_DIR = DIST_DIR;
}
