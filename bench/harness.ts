// What the scenarios share: logging, servers started and stopped around a function, admitted chat requests,
// waiting for a quiet machine and for Redis to drain.
import { type AppServer, startApp } from "../test/support/app-server";
import { chatBody } from "../test/support/chat-body";
import { foreignCpuMeter, pidListeningOn } from "./procfs";
import type { BenchRedis } from "./redis-stack";
import { BASE_ENV, CPUS, JSON_HEADERS, QUIET_BELOW, QUIET_MAX_WAIT_S } from "./settings";

export const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const running = new Set<() => Promise<void>>();
/** Registers a server's stop for an interrupted run (Ctrl-C, SIGTERM); returns the unregister. */
export function stopOnInterrupt(stop: () => Promise<void>): () => void {
  running.add(stop);
  return () => running.delete(stop);
}
/** On SIGINT/SIGTERM, stops every server still registered before exiting, so none is left behind. */
export function handleInterrupts(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping ${running.size} server(s)`);
      void Promise.allSettled([...running].map((stop) => stop())).finally(() => process.exit(130));
    });
  }
}

export interface Ctx {
  app: AppServer;
  /** The `next start` process (found by its listening socket). */
  pid: number;
  /** Other processes of ours whose CPU time is not "other load" (redis-server, the REST endpoint). */
  extraPids: number[];
  /** Redis' per-command call counters, or {} for the memory store. */
  redisCalls(): Promise<Record<string, number>>;
  /** Every process of ours whose CPU time is not "other load"; by default this server and extraPids. */
  allPids: () => number[];
}

/** Runs `fn` against a `next start` with BASE_ENV + `env`, and stops the server whatever happens. */
export async function withApp<T>(
  env: Record<string, string>,
  redis: BenchRedis | null,
  extraPids: number[],
  fn: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  const app = await startApp({ ...BASE_ENV, ...env });
  const unregister = stopOnInterrupt(app.stop);
  try {
    const redisCalls = async () => (redis ? redis.commandCalls() : {});
    const pid = pidListeningOn(app.port);
    return await fn({ app, pid, extraPids, redisCalls, allPids: () => [pid, ...extraPids] });
  } finally {
    unregister();
    await app.stop();
  }
}

let conversationSeq = 0;
/** A unique conversation per request: anonymous callers get a fresh guest session each time, so a reused id would 404. */
export const newConversation = () => `bench-${process.pid}-${(conversationSeq++).toString(36)}`;

/** Request builder for runLoad: an anonymous message from `ip`, a new conversation each. */
export function admittedRequest(ip: string) {
  return () => ({ headers: { ...JSON_HEADERS, "x-forwarded-for": ip }, body: chatBody(newConversation()) });
}

/** One anonymous message from `ip` in a new conversation; resolves with the status once the stream ended. */
export async function postChat(url: string, ip: string): Promise<number> {
  const res = await fetch(`${url}/api/chat/message`, {
    method: "POST",
    headers: { ...JSON_HEADERS, "x-forwarded-for": ip },
    body: chatBody(newConversation()),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer(); // the whole stream, so the reply finishes and its persistence runs
  return res.status;
}

export function perRequest(calls: Record<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cmd, n] of Object.entries(calls)) out[cmd] = requests ? n / requests : Number.NaN;
  return out;
}

/** Waits until the servers have stopped talking to Redis (≤ 5 s); returns Redis' counters then. */
export async function drained(ctx: Ctx): Promise<Record<string, number>> {
  const total = (c: Record<string, number>) =>
    Object.entries(c).reduce((sum, [cmd, n]) => (cmd === "INFO" ? sum : sum + n), 0);
  let calls = await ctx.redisCalls();
  const deadline = Date.now() + 5_000;
  for (;;) {
    await sleep(250);
    const next = await ctx.redisCalls();
    if (total(next) === total(calls) || Date.now() > deadline) return next;
    calls = next;
  }
}

let quietWaited = 0;
/** Seconds spent so far waiting for other processes to quieten down. */
export const quietWaitedS = () => quietWaited;

/**
 * On a shared machine, waits (at most BENCH_QUIET_MAX_WAIT_S over the whole run) until processes other than ours
 * use less than BENCH_QUIET_BELOW of the CPUs, measured over half a second.
 */
export async function waitForQuiet(ours: () => number[]): Promise<void> {
  for (;;) {
    const meter = foreignCpuMeter(ours, CPUS);
    await sleep(500);
    const foreign = meter();
    if (foreign < QUIET_BELOW || quietWaited >= QUIET_MAX_WAIT_S) return;
    quietWaited += 0.5;
    if (quietWaited % 10 === 0.5)
      log(`other processes use ${(foreign * 100).toFixed(0)}% of the CPUs; waiting for quiet`);
  }
}
