// `npm run bench`: the chat throttle's cost on a production build over loopback (memory and Redis stores),
// Redis commands per admitted request, memory under a 100k-IP flood, the first-load JS of `/` and health
// latency during bursts of 1,000 concurrent clients.
// Writes the "## Chat throttle (npm run bench)" section of docs/benchmarks.md and bench/results/*.json.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppServer, startApp } from "../test/support/app-server";
import { healthUnderBurst } from "./burst";
import { firstLoadJs } from "./first-load";
import { type HeapProbe, inspectorUrl, probeHeap } from "./inspector";
import { benchIp, chatBody, type LoadResult, type LoadSpec, mergeLoads, percentile, runLoad } from "./load";
import { foreignCpuMeter, memoryStatus, pidListeningOn, resetPeakRss } from "./procfs";
import {
  type BenchRedis,
  diffCalls,
  type RestCall,
  startBenchRedis,
  startCountingProxy,
} from "./redis-stack";
import {
  type BenchResults,
  type CountSide,
  type Measured,
  renderSection,
  type StoreResults,
  writeSection,
} from "./report";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
process.chdir(ROOT); // startApp runs node_modules/.bin/next relative to the working directory
// Never the `.next` other engineers and the e2e suite build into; startApp passes process.env through.
const DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";
process.env.NEXT_DIST_DIR = DIST_DIR;

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0`);
  return value;
};
const DURATION_S = num("BENCH_DURATION_S", 10);
/** Each scenario's DURATION_S is split into this many slices, interleaved with the other scenarios'. */
const ROUNDS = Math.max(1, Math.round(num("BENCH_ROUNDS", 5)));
const WARMUP_S = num("BENCH_WARMUP_S", 3);
const CONNECTIONS = num("BENCH_CONNECTIONS", 50);
const COUNT_REQUESTS = num("BENCH_COUNT_REQUESTS", 200);
const FLOOD_IPS = num("BENCH_FLOOD_IPS", 100_000);
const FLOOD_CONNECTIONS = num("BENCH_FLOOD_CONNECTIONS", 50);
const FLOOD_MAX_S = num("BENCH_FLOOD_MAX_S", 420);
/** Every Nth flood request is a full chat message; the others carry an invalid body (see the docs). */
const FLOOD_CHAT_EVERY = Math.max(1, num("BENCH_FLOOD_CHAT_EVERY", 20));
const QUIET_BELOW = num("BENCH_QUIET_BELOW", 0.25);
const QUIET_MAX_WAIT_S = num("BENCH_QUIET_MAX_WAIT_S", 120);
const FLOOD_SETTLE_S = Math.max(2, num("BENCH_FLOOD_SETTLE_S", 15));
const BURST_CLIENTS = Math.max(1, num("BENCH_BURST_CLIENTS", 1000));
const BURST_ROUNDS = Math.max(1, num("BENCH_BURST_ROUNDS", 3));
const WRITE_DOCS = process.env.BENCH_WRITE_DOCS !== "0";
const CPUS = availableParallelism();

const BLOCKED_IP = "203.0.113.7"; // TEST-NET-3; only ever a header value
const ADMITTED_IP = "203.0.113.8";
const JSON_HEADERS = { "content-type": "application/json" };
const BIG = "1000000000";

// startApp passes the benchmark's environment through: drop anything inherited that would change the code path
// (a real model key, a remote Redis). Deleted, not blanked: libraries read some of these directly.
for (const name of [
  "UPSTASH_REDIS_REST_URL",
  "UPSTASH_REDIS_REST_TOKEN",
  "KV_REST_API_URL",
  "KV_REST_API_TOKEN",
  "AI_GATEWAY_API_KEY",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "AI_MODEL",
  "TRUST_USER_ID_HEADER",
  "AUTH_JWKS_URL",
  "PAYWALL_URL",
]) {
  delete process.env[name];
}

/** Environment every benchmark server shares. */
const BASE_ENV: Record<string, string> = {
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
const LIMITS_OFF = {
  RATE_LIMIT_CHAT_PER_MIN: "0",
  RATE_LIMIT_CHAT_PER_HOUR: "0",
  RATE_LIMIT_CHAT_IP_PER_MIN: "0",
};
const LIMITS_HUGE = {
  RATE_LIMIT_CHAT_PER_MIN: BIG,
  RATE_LIMIT_CHAT_PER_HOUR: BIG,
  RATE_LIMIT_CHAT_IP_PER_MIN: BIG,
};
// One request exhausts all three layers (so a refusal refunds nothing); hour-long windows so a fixed
// window cannot roll over during the run and let a request through.
const LIMITS_ONE = {
  RATE_LIMIT_CHAT_PER_MIN: "1",
  RATE_LIMIT_CHAT_PER_HOUR: "1",
  RATE_LIMIT_CHAT_IP_PER_MIN: "1",
  RATE_LIMIT_MINUTE_WINDOW_SECONDS: "3600",
  RATE_LIMIT_HOUR_WINDOW_SECONDS: "3600",
};

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------- build

function build(): void {
  if (process.env.BENCH_SKIP_BUILD === "1") {
    if (!existsSync(join(DIST_DIR, "BUILD_ID")))
      throw new Error(`BENCH_SKIP_BUILD=1 but ${DIST_DIR} has no build`);
    log(`BENCH_SKIP_BUILD=1: using the existing build in ${DIST_DIR}`);
    return;
  }
  // `next build` rewrites tsconfig.json (adds <distDir>/types includes) and next-env.d.ts (points it at
  // <distDir>): both are shared with everyone working in this checkout, so put them back afterwards.
  const tsconfig = readFileSync("tsconfig.json", "utf8");
  const nextEnv = existsSync("next-env.d.ts") ? readFileSync("next-env.d.ts", "utf8") : null;
  log(`next build → ${DIST_DIR}`);
  const t0 = performance.now();
  const res = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: DIST_DIR },
  });
  restoreSharedFiles(tsconfig, nextEnv);
  if (res.status !== 0) throw new Error(`next build failed (exit ${res.status})`);
  log(`built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

function restoreSharedFiles(tsconfig: string, nextEnv: string | null): void {
  const now = readFileSync("tsconfig.json", "utf8");
  if (now !== tsconfig) {
    const strip = (text: string) => {
      const json = JSON.parse(text) as { include?: string[] };
      json.include = (json.include ?? []).filter((p) => !p.startsWith(`${DIST_DIR}/`));
      return JSON.stringify(json);
    };
    // Only undo Next's own edit; anything else someone changed meanwhile stays.
    if (strip(now) === strip(tsconfig)) writeFileSync("tsconfig.json", tsconfig);
    else log("warning: tsconfig.json changed during the build beyond Next's include edit; left as is");
  }
  if (nextEnv !== null && readFileSync("next-env.d.ts", "utf8") !== nextEnv)
    writeFileSync("next-env.d.ts", nextEnv);
}

// ------------------------------------------------------------------------------------------ machine

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

function pkgVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(join("node_modules", name, "package.json"), "utf8")) as { version: string }
    ).version;
  } catch {
    return "unknown";
  }
}

function machine(): BenchResults["machine"] {
  const dirty = sh("git", ["status", "--porcelain", "--untracked-files=no"]);
  return {
    nproc: CPUS,
    cpuModel: cpus()[0]?.model ?? "unknown",
    ramGiB: totalmem() / 2 ** 30,
    kernel: release(),
    loadavgAtStart: loadavg()[0] ?? 0,
    node: process.version,
    next: pkgVersion("next"),
    redisServer: /v=(\S+)/.exec(sh("redis-server", ["--version"]))?.[1] ?? "unknown",
    upstashRatelimit: pkgVersion("@upstash/ratelimit"),
    upstashRedis: pkgVersion("@upstash/redis"),
    autocannon: pkgVersion("autocannon"),
    commit: sh("git", ["rev-parse", "--short", "HEAD"]),
    uncommittedFiles: dirty === "" || dirty === "unknown" ? 0 : dirty.split("\n").length,
  };
}

// --------------------------------------------------------------------------------------------- load

interface Ctx {
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

async function withApp<T>(
  env: Record<string, string>,
  redis: BenchRedis | null,
  extraPids: number[],
  fn: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  const app = await startApp({ ...BASE_ENV, ...env });
  try {
    const redisCalls = async () => (redis ? redis.commandCalls() : {});
    const pid = pidListeningOn(app.port);
    return await fn({ app, pid, extraPids, redisCalls, allPids: () => [pid, ...extraPids] });
  } finally {
    await app.stop();
  }
}

let conversationSeq = 0;
/** A unique conversation per request: anonymous callers get a fresh guest session each time, so a reused id would 404. */
const newConversation = () => `bench-${process.pid}-${(conversationSeq++).toString(36)}`;

function admittedRequest(ip: string) {
  return () => ({ headers: { ...JSON_HEADERS, "x-forwarded-for": ip }, body: chatBody(newConversation()) });
}

async function postChat(url: string, ip: string): Promise<number> {
  const res = await fetch(`${url}/api/chat/message`, {
    method: "POST",
    headers: { ...JSON_HEADERS, "x-forwarded-for": ip },
    body: chatBody(newConversation()),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer(); // the whole stream, so the reply finishes and its persistence runs
  return res.status;
}

// ------------------------------------------------------------------------------------- per store

interface Scenario {
  key: "health" | "refused" | "admittedOn" | "admittedOff";
  ctx: Ctx;
  spec: Omit<LoadSpec, "connections" | "duration">;
}

function perRequest(calls: Record<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cmd, n] of Object.entries(calls)) out[cmd] = requests ? n / requests : Number.NaN;
  return out;
}

/** Waits until the servers have stopped talking to Redis (≤ 5 s); returns Redis' counters then. */
async function drained(ctx: Ctx): Promise<Record<string, number>> {
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

let quietWaitedS = 0;
/**
 * On a shared machine, waits (at most BENCH_QUIET_MAX_WAIT_S over the whole run) until processes other than ours
 * use less than BENCH_QUIET_BELOW of the CPUs, measured over half a second.
 */
async function waitForQuiet(ours: () => number[]): Promise<void> {
  for (;;) {
    const meter = foreignCpuMeter(ours, CPUS);
    await sleep(500);
    const foreign = meter();
    if (foreign < QUIET_BELOW || quietWaitedS >= QUIET_MAX_WAIT_S) return;
    quietWaitedS += 0.5;
    if (quietWaitedS % 10 === 0.5)
      log(`other processes use ${(foreign * 100).toFixed(0)}% of the CPUs; waiting for quiet`);
  }
}

/**
 * Runs the scenarios interleaved: a warm-up each, then ROUNDS rounds in which every scenario gets one slice of
 * DURATION_S / ROUNDS seconds (order rotated per round). On a shared machine, background load then hits every
 * scenario alike instead of whichever happened to run during someone else's build.
 */
async function interleave(scenarios: Scenario[]): Promise<Map<Scenario["key"], Measured>> {
  for (const { spec } of scenarios) {
    if (WARMUP_S > 0) {
      await runLoad({
        ...spec,
        label: `${spec.label} warm-up`,
        connections: CONNECTIONS,
        duration: WARMUP_S,
      });
    }
  }
  const slices = new Map<
    Scenario["key"],
    { runs: LoadResult[]; foreign: number[]; calls: Record<string, number>[] }
  >();
  const slice = Math.max(1, DURATION_S / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < scenarios.length; i++) {
      const { key, ctx, spec } = scenarios[(i + round) % scenarios.length] as Scenario;
      await waitForQuiet(() => [process.pid, ...ctx.allPids()]);
      const before = await drained(ctx);
      const foreign = foreignCpuMeter(() => [process.pid, ...ctx.allPids()], CPUS);
      const run = await runLoad({ ...spec, connections: CONNECTIONS, duration: slice });
      const foreignCpu = foreign();
      // Requests cut mid-flight and replies' persistence finish now; they belong to this slice.
      const calls = diffCalls(await drained(ctx), before);
      const entry = slices.get(key) ?? { runs: [], foreign: [], calls: [] };
      entry.runs.push(run);
      entry.foreign.push(foreignCpu);
      entry.calls.push(calls);
      slices.set(key, entry);
    }
  }
  const out = new Map<Scenario["key"], Measured>();
  for (const { key, spec } of scenarios) {
    const entry = slices.get(key);
    if (!entry) continue;
    const merged = mergeLoads(spec.label, entry.runs);
    const total: Record<string, number> = {};
    for (const c of entry.calls) for (const [cmd, n] of Object.entries(c)) total[cmd] = (total[cmd] ?? 0) + n;
    delete total.INFO; // our own counter reads
    const result: Measured = {
      ...merged,
      foreignCpu: entry.foreign.reduce((a, b) => a + b, 0) / entry.foreign.length,
      // Requests written, not completed: requests still in flight when a slice stopped reached Redis too.
      redisPerRequest: perRequest(total, merged.sent),
      sliceRps: entry.runs.map((r) => r.rps),
    };
    log(
      `${spec.label}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
        `status ${JSON.stringify(result.statusCounts)}, errors ${result.errors}, ` +
        `other load ${(result.foreignCpu * 100).toFixed(0)}% of the machine`,
    );
    out.set(key, result);
  }
  return out;
}

async function benchStore(kind: "memory" | "redis", redis: BenchRedis | null): Promise<StoreResults> {
  const storeEnv: Record<string, string> = redis
    ? { UPSTASH_REDIS_REST_URL: redis.restUrl, UPSTASH_REDIS_REST_TOKEN: redis.restToken }
    : {};
  const extraPids = redis ? [redis.redisPid, redis.restPid] : [];
  log(`— ${kind} store —`);
  await redis?.flushAll();
  // Three servers side by side (an idle one costs no CPU), so their runs can be interleaved.
  return withApp({ ...storeEnv, ...LIMITS_ONE }, redis, extraPids, (blocking) =>
    withApp({ ...storeEnv, ...LIMITS_HUGE }, redis, extraPids, (limitsOn) =>
      withApp({ ...storeEnv, ...LIMITS_OFF }, redis, extraPids, async (limitsOff) => {
        const servers = [blocking, limitsOn, limitsOff];
        const allPids = () => [...servers.map((c) => c.pid), ...extraPids];
        for (const c of servers) c.allPids = allPids;
        const first = await postChat(blocking.app.url, BLOCKED_IP);
        const second = await postChat(blocking.app.url, BLOCKED_IP);
        if (first !== 200 || second !== 429) {
          throw new Error(`exhausting the blocked identity: got ${first}, ${second}`);
        }
        const chat = (c: Ctx) => `${c.app.url}/api/chat/message`;
        const results = await interleave([
          {
            key: "health",
            ctx: blocking,
            spec: { label: `${kind} (a) health`, url: `${blocking.app.url}/api/health` },
          },
          {
            key: "refused",
            ctx: blocking,
            spec: {
              label: `${kind} (b) 429`,
              url: chat(blocking),
              method: "POST",
              // A fixed request like (a)'s, so the load generator (sharing the 2 cores) does no more work per
              // request than for health; the body is never read on a refusal anyway.
              fixed: {
                headers: { ...JSON_HEADERS, "x-forwarded-for": BLOCKED_IP },
                body: chatBody("blocked"),
              },
            },
          },
          {
            key: "admittedOn",
            ctx: limitsOn,
            spec: {
              label: `${kind} (c) limits ON`,
              url: chat(limitsOn),
              method: "POST",
              request: admittedRequest(ADMITTED_IP),
            },
          },
          {
            key: "admittedOff",
            ctx: limitsOff,
            spec: {
              label: `${kind} (c) limits OFF`,
              url: chat(limitsOff),
              method: "POST",
              request: admittedRequest(ADMITTED_IP),
            },
          },
        ]);
        const get = (key: Scenario["key"]) => {
          const r = results.get(key);
          if (!r) throw new Error(`no result for ${key}`);
          return r;
        };
        const names = ["(a)/(b) server", "limits-ON server", "limits-OFF server"];
        const storeFailures = servers.flatMap((c, i) =>
          (c.app.output().match(/\[store\][^\n]*/g) ?? []).map((line) => `${names[i]}: ${line}`),
        );
        return {
          store: kind,
          health: get("health"),
          refused: get("refused"),
          admittedOn: get("admittedOn"),
          admittedOff: get("admittedOff"),
          storeFailures,
        };
      }),
    ),
  );
}

// --------------------------------------------------------------------- Redis commands per request

async function countSide(
  redis: BenchRedis,
  limits: Record<string, string>,
  label: string,
): Promise<CountSide> {
  await redis.flushAll();
  const proxy = await startCountingProxy(redis.restUrl);
  try {
    return await withApp(
      { UPSTASH_REDIS_REST_URL: proxy.url, UPSTASH_REDIS_REST_TOKEN: redis.restToken, ...limits },
      null,
      [],
      async (ctx) => {
        // Warm-up: loads the Lua scripts (NOSCRIPT → EVAL once) and JIT-compiles the route.
        for (let i = 0; i < 10; i++) await postChat(ctx.app.url, ADMITTED_IP);
        await settle(proxy.calls);
        const skip = proxy.calls.length;
        const before = await redis.commandCalls();
        const statuses: Record<string, number> = {};
        const latencies: number[] = [];
        for (let i = 0; i < COUNT_REQUESTS; i++) {
          const t = performance.now();
          const status = await postChat(ctx.app.url, ADMITTED_IP);
          latencies.push(performance.now() - t);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        await settle(proxy.calls);
        const redisCalls = diffCalls(await redis.commandCalls(), before);
        const calls = proxy.calls.slice(skip);
        const n = COUNT_REQUESTS;
        const byPath: Record<string, number> = {};
        for (const c of calls) byPath[c.path] = (byPath[c.path] ?? 0) + 1;
        const limiterCalls = calls.filter((c) => c.limiterCommands > 0);
        const side: CountSide = {
          label,
          requests: n,
          statuses,
          httpCallsPerRequest: calls.length / n,
          httpCallsByPathPerRequest: Object.fromEntries(Object.entries(byPath).map(([p, k]) => [p, k / n])),
          commandsPerRequest: calls.reduce((s, c) => s + c.commands.length, 0) / n,
          limiterHttpCallsPerRequest: limiterCalls.length / n,
          limiterCommandsPerRequest: calls.reduce((s, c) => s + c.limiterCommands, 0) / n,
          limiterCallsSharedWithOtherCommands: limiterCalls.filter(
            (c) => c.commands.length > c.limiterCommands,
          ).length,
          limiterCallShapes: shapes(limiterCalls),
          otherCallShapes: shapes(calls.filter((c) => c.limiterCommands === 0)),
          redisCommandsPerRequest: perRequest(redisCalls, n),
          latencyP50: percentile(
            [...latencies].sort((a, b) => a - b),
            0.5,
          ),
          latencyMean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
        };
        log(
          `${label}: ${side.httpCallsPerRequest.toFixed(2)} HTTP calls/request to the REST endpoint ` +
            `(${side.limiterHttpCallsPerRequest.toFixed(2)} carry limiter commands: ${side.limiterCommandsPerRequest.toFixed(2)} commands), ` +
            `Redis: ${JSON.stringify(roundAll(side.redisCommandsPerRequest))}`,
        );
        return side;
      },
    );
  } finally {
    await proxy.close();
  }
}

/** Waits until the app has stopped calling the endpoint for 400 ms (background persistence), at most 10 s. */
async function settle(calls: RestCall[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = -1;
  while (Date.now() < deadline && calls.length !== last) {
    last = calls.length;
    await sleep(400);
  }
}

function shapes(calls: RestCall[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) {
    const key = `${c.path} [${c.commands.join(", ")}]`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function roundAll(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}

// ------------------------------------------------------------------------------------------ flood

async function flood(): Promise<BenchResults["flood"]> {
  log(`— flood: ${FLOOD_IPS} distinct IPs, in-memory store, concurrency cap and credits on —`);
  const env = {
    RATE_LIMIT_CHAT_PER_MIN: "5",
    RATE_LIMIT_CHAT_PER_HOUR: "60",
    RATE_LIMIT_CHAT_IP_PER_MIN: "30",
    CHAT_MAX_CONCURRENT_STREAMS: "2",
    CHAT_DAILY_TOKEN_BUDGET: "100000",
    // Loopback-only inspector on a free port: forced GC, retained heap and map sizes (bench/inspector.ts).
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --inspect=127.0.0.1:0`.trim(),
  };
  return withApp(env, null, [], async ({ app, pid }) => {
    const ws = inspectorUrl(app.output());
    // Warm up from addresses outside the flood's range so code is loaded and JIT-compiled before "before".
    const warmBase = 120_000;
    await runLoad({
      label: "flood warm-up",
      url: `${app.url}/api/chat/message`,
      method: "POST",
      connections: 20,
      amount: 400,
      request: (n) => ({
        headers: { ...JSON_HEADERS, "x-forwarded-for": benchIp(warmBase + n) },
        body: n % 2 ? "{}" : chatBody(newConversation()),
      }),
    });
    await sleep(2_000);
    await waitForQuiet(() => [process.pid, pid]);
    const heapBefore = await probeHeap(ws);
    await sleep(500);
    const before = memoryStatus(pid).rss;
    const peakReset = resetPeakRss(pid);
    const timeline: { t: number; sent: number; rss: number }[] = [];
    let sent = 0;
    let maxSampled = before;
    const t0 = performance.now();
    const sampler = setInterval(() => {
      const { rss } = safeMemory(pid);
      if (Number.isNaN(rss)) return; // the server is gone (e.g. out of memory); reported below
      maxSampled = Math.max(maxSampled, rss);
      timeline.push({ t: (performance.now() - t0) / 1000, sent, rss });
    }, 250);
    const foreign = foreignCpuMeter(() => [process.pid, pid], CPUS);
    let result: LoadResult;
    try {
      result = await runLoad({
        label: "flood",
        url: `${app.url}/api/chat/message`,
        method: "POST",
        connections: FLOOD_CONNECTIONS,
        amount: FLOOD_IPS,
        request: (n) => {
          sent = n + 1;
          return {
            headers: { ...JSON_HEADERS, "x-forwarded-for": benchIp(n) },
            body: n % FLOOD_CHAT_EVERY === 0 ? chatBody(newConversation()) : "{}",
          };
        },
        stopAfterS: FLOOD_MAX_S,
      });
    } finally {
      clearInterval(sampler);
    }
    const floodSeconds = (performance.now() - t0) / 1000;
    const foreignCpu = foreign();
    const end = safeMemory(pid);
    const peak = Math.max(maxSampled, peakReset && !Number.isNaN(end.hwm) ? end.hwm : 0);
    await sleep(1_000);
    const heapEnd = await safeProbe(ws);
    await sleep(Math.max(0, FLOOD_SETTLE_S * 1000 - 1_000));
    const after = safeMemory(pid).rss;
    const heapAfter = await safeProbe(ws);
    const crashed = Number.isNaN(end.rss) || Number.isNaN(after);
    if (crashed) log(`flood: the server died:\n${app.output().slice(-3000)}`);
    const ipsSent = Math.min(sent, FLOOD_IPS);
    log(
      `flood: ${ipsSent} IPs in ${floodSeconds.toFixed(0)} s (${result.rps.toFixed(0)} req/s, status ${JSON.stringify(result.statusCounts)}); ` +
        `RSS before ${mib(before)}, peak ${mib(peak)}, end ${mib(end.rss)}, +${FLOOD_SETTLE_S}s ${mib(after)}; ` +
        `heap after GC ${mib(heapBefore.heapUsed)} → ${mib(heapEnd.heapUsed)} → ${mib(heapAfter.heapUsed)}; ` +
        `entries ${JSON.stringify(heapEnd.entries)}`,
    );
    return {
      ips: ipsSent,
      requested: FLOOD_IPS,
      chatEvery: FLOOD_CHAT_EVERY,
      connections: FLOOD_CONNECTIONS,
      seconds: floodSeconds,
      rps: result.rps,
      statusCounts: result.statusCounts,
      errors: result.errors,
      foreignCpu,
      rssBefore: before,
      rssPeak: peak,
      peakFrom: peakReset ? "VmHWM reset before the flood, and VmRSS every 250 ms" : "VmRSS every 250 ms",
      rssEnd: end.rss,
      rssAfter: after,
      settleS: FLOOD_SETTLE_S,
      quarters: [0.25, 0.5, 0.75, 1].map((q) => {
        const target = Math.round(q * ipsSent);
        const point = timeline.find((p) => p.sent >= target) ?? timeline[timeline.length - 1];
        return { ips: target, rss: point?.rss ?? Number.NaN, t: point?.t ?? Number.NaN };
      }),
      heap: { before: heapBefore, end: heapEnd, after: heapAfter },
      serverDied: crashed
        ? (/[^\n]*(heap out of memory|FATAL ERROR)[^\n]*/.exec(app.output())?.[0] ?? "exited")
        : null,
    };
  });
}

function safeMemory(pid: number): { rss: number; hwm: number } {
  try {
    return memoryStatus(pid);
  } catch {
    return { rss: Number.NaN, hwm: Number.NaN };
  }
}

async function safeProbe(ws: string): Promise<HeapProbe> {
  try {
    return await probeHeap(ws);
  } catch (error) {
    log(`heap probe failed: ${String(error)}`);
    return { heapUsed: Number.NaN, entries: {} };
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

// ------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = performance.now();
  build();
  const info = machine();
  log(
    `${info.nproc} CPUs (${info.cpuModel}), ${info.ramGiB.toFixed(0)} GiB, node ${info.node}, next ${info.next}`,
  );

  const memory = await benchStore("memory", null);
  const firstLoad = await withApp({}, null, [], async ({ app }) => firstLoadJs(app.url, DIST_DIR, "/"));
  log(`first-load JS of /: ${firstLoad.chunks.length} chunks, ${(firstLoad.gzip / 1000).toFixed(1)} kB gzip`);
  // Default limits and concurrency cap, as a production server would run (BASE_ENV turns the cap off).
  const burst = await withApp({ CHAT_MAX_CONCURRENT_STREAMS: "2" }, null, [], ({ app, pid }) =>
    healthUnderBurst(app, pid, {
      clients: BURST_CLIENTS,
      addresses: Math.max(1, Math.round(BURST_CLIENTS / 10)),
      rounds: BURST_ROUNDS,
      idleProbes: 200,
      gapMs: 20,
    }),
  );
  log(
    `health under bursts of ${BURST_CLIENTS}: p99 ${burst.during.p99.toFixed(1)} ms vs idle ${burst.idle.p99.toFixed(1)} ms`,
  );

  const redis = await startBenchRedis(ROOT);
  let redisResults: StoreResults;
  let counting: BenchResults["counting"];
  try {
    redisResults = await benchStore("redis", redis);
    counting = {
      on: await countSide(redis, LIMITS_HUGE, "limits ON"),
      off: await countSide(redis, LIMITS_OFF, "limits OFF"),
    };
  } finally {
    await redis.stop();
  }

  const floodResult = await flood();

  const results: BenchResults = {
    date: new Date().toISOString(),
    command: "npm run bench",
    settings: {
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      connections: CONNECTIONS,
      countRequests: COUNT_REQUESTS,
      distDir: DIST_DIR,
    },
    machine: info,
    stores: [memory, redisResults],
    counting,
    flood: floodResult,
    burst,
    firstLoad,
    totalSeconds: (performance.now() - started) / 1000,
    quietWaitedS,
  };
  mkdirSync("bench/results", { recursive: true });
  const jsonPath = `bench/results/chat-${results.date.replace(/[:.]/g, "-")}.json`;
  writeFileSync(jsonPath, `${JSON.stringify(results, (k, v) => (k === "latencies" ? undefined : v), 2)}\n`);
  const section = renderSection(results);
  console.log(`\n${section}`);
  if (WRITE_DOCS) {
    writeSection("docs/benchmarks.md", section);
    log(`wrote docs/benchmarks.md (section "Chat throttle") and ${jsonPath}`);
  } else log(`BENCH_WRITE_DOCS=0: docs untouched; raw results in ${jsonPath}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
