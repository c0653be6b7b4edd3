// `npm run bench:admission`: the admission script's Redis cost, fixed windows (before) vs sliding logs (now),
// side by side in one run on one redis-server: CPU per admission, admissions/s, memory per identity.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Redis } from "@upstash/redis";
import { createClient } from "redis";
import { RedisAdmissionBackend } from "../lib/admission/redis";
import type { AdmissionRequest } from "../lib/admission/types";
import { parseConfig } from "../lib/config";
import { chatLayers, checksFor, logKey, windowMs } from "../lib/ratelimit/layers";
import { startRedisServer } from "../test/support/redis";
import { log } from "./harness";
import { machine } from "./machine";
import { pidListeningOn, processTicks } from "./procfs";

/** The fixed-window script this change replaced (the parent of the sliding logs). */
const BEFORE_COMMIT = process.env.BENCH_BEFORE_COMMIT ?? "c6cc095";
const USERS = Number(process.env.BENCH_USERS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const RUNS = Number(process.env.BENCH_RUNS ?? 4);
const IN_FLIGHT = 32;
/** Message ids as the AI SDK makes them (16 characters), and the longest the API accepts (100). */
const TYPICAL_ID = "aB3dE5gH7jK9mN1p";
const LONGEST_ID = "x".repeat(100);

const config = parseConfig({});
const layers = chatLayers(config.rateLimit);
const plans = {
  free: { perMinute: 5, perHour: 60, concurrentStreams: 2, dailyTokens: 100_000 },
  guest: { perMinute: 5, perHour: 60, concurrentStreams: 2, dailyTokens: 100_000 },
};

interface Call {
  keys: string[];
  args: string[];
}

/** The exact keys and arguments the production backend sends for a request (its script call, captured). */
function callOf(request: AdmissionRequest): Call {
  let call: Call | undefined;
  const capture = {
    createScript: () => ({
      exec: async (keys: string[], args: string[]) => {
        call = { keys, args };
        return { ok: 0, plan: "free", layers: [], refusals: [], usedTokens: 0 };
      },
    }),
  } as unknown as Redis;
  void new RedisAdmissionBackend(capture).admit(request);
  if (!call) throw new Error("the backend sent no script call");
  return call;
}

/** The same call as the fixed-window script took it: each layer's key was its current window's counter. */
function fixedWindowCall(request: AdmissionRequest, call: Call): Call {
  const keys = [...call.keys];
  request.checks.forEach((check, i) => {
    keys[1 + i] = `${keys[1 + i]}:${Math.floor(request.now / windowMs(check.layer))}`;
  });
  return { keys, args: call.args };
}

let sequence = 0;
function request(
  user: number,
  now: number,
  messageId = TYPICAL_ID,
  ip = `10.1.${user >> 8}.${user & 255}`,
  planTable: typeof plans = plans,
) {
  const limitKey = `user:bench-${user}`;
  sequence += 1;
  return {
    now,
    limitKey,
    checks: checksFor(layers, { limitKey, verified: true, clientIp: ip }),
    plans: planTable,
    defaultPlan: "free",
    readsStoredPlan: true,
    models: [{ key: "default", plans: null }],
    model: null,
    owner: limitKey,
    conversationId: `c-${sequence}`,
    intent: "send",
    messageId,
    messageBytes: 120,
    blockTargets: [limitKey, `ip:${ip}`],
    abuse: { afterRefusals: 20, windowSeconds: 600, blockSeconds: 900 },
    leaseId: crypto.randomUUID(),
    maxOutputTokens: 1_000,
  } satisfies AdmissionRequest;
}

type Client = ReturnType<typeof createClient>;

async function runAll(client: Client, sha: string, calls: Call[]): Promise<{ admitted: number; ms: number }> {
  let next = 0;
  let admitted = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next++] as Call;
      const answer = String(await client.evalSha(sha, { keys: call.keys, arguments: call.args }));
      if (answer.includes('"ok":1')) admitted += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { admitted, ms: performance.now() - started };
}

interface Phase {
  name: string;
  admissions: number;
  admitted: number;
  usecPerCall: number;
  /** redis-server's own CPU time (utime + stime, /proc) per admission: not inflated by waiting for a core. */
  cpuUsPerCall: number;
  perSecond: number;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

async function evalshaStats(client: Client): Promise<{ calls: number; usec: number }> {
  const info = await client.info("commandstats");
  const line = info.split("\n").find((l) => l.startsWith("cmdstat_evalsha:")) ?? "";
  const field = (name: string) => Number(new RegExp(`${name}=([\\d.]+)`).exec(line)?.[1] ?? Number.NaN);
  return { calls: field("calls"), usec: field("usec") };
}

/**
 * Every user sends one message a minute for ROUNDS minutes (all admitted), after 59 minutes of the same:
 * the hour's log is at its fullest (59–60 entries) for every measured admission, the worst case for a log.
 */
async function phase(
  client: Client,
  redisPid: number,
  name: string,
  script: string,
  fixed: boolean,
): Promise<Phase> {
  await client.flushAll();
  const sha = await client.scriptLoad(script);
  const base = (Math.floor(Date.now() / 3_600_000) + 1) * 3_600_000 + 30_000;
  const calls = (from: number, to: number) => {
    const out: Call[] = [];
    for (let round = from; round < to; round++) {
      for (let user = 0; user < USERS; user++) {
        const req = request(user, base + round * 60_000 + user);
        const call = callOf(req);
        out.push(fixed ? fixedWindowCall(req, call) : call);
      }
    }
    return out;
  };
  await runAll(client, sha, calls(-59, 0));
  const measured = calls(0, ROUNDS);
  await client.configResetStat();
  const ticks = processTicks(redisPid);
  const { admitted, ms } = await runAll(client, sha, measured);
  const cpuUs = ((processTicks(redisPid) - ticks) / TICKS_PER_SECOND) * 1e6;
  const { calls: n, usec } = await evalshaStats(client);
  const result = {
    name,
    admissions: n,
    admitted,
    usecPerCall: usec / n,
    cpuUsPerCall: cpuUs / n,
    perSecond: (measured.length / ms) * 1000,
  };
  log(`${name}: ${JSON.stringify(result)}`);
  return result;
}

/** MEMORY USAGE of one identity's layer keys with every log full (5 this minute, 60 this hour, 30 per address). */
async function memoryPerIdentity(client: Client, script: string, fixed: boolean, messageId: string) {
  await client.flushAll();
  const sha = await client.scriptLoad(script);
  const base = (Math.floor(Date.now() / 3_600_000) + 2) * 3_600_000 + 30_000;
  // No cap on replies in progress here: the quick sends below must all be admitted.
  const free = { ...plans.free, concurrentStreams: 0 };
  const unleased = { free, guest: free };
  const send = (user: number, now: number) => request(user, now, messageId, "10.9.9.9", unleased);
  const sends: AdmissionRequest[] = [];
  for (let i = 0; i < 55; i++) sends.push(send(0, base - 3_540_000 + i * 60_000));
  for (let i = 0; i < 5; i++) sends.push(send(0, base + i * 1_000));
  // 25 more on the address, from other users, to fill its per-IP minute (30).
  for (let i = 0; i < 25; i++) sends.push(send(1 + i, base + 6_000 + i));
  const calls = sends.map((req) => (fixed ? fixedWindowCall(req, callOf(req)) : callOf(req)));
  for (const call of calls) await client.evalSha(sha, { keys: call.keys, arguments: call.args });
  const last = sends[59] as AdmissionRequest;
  const keysOf = (req: AdmissionRequest) =>
    req.checks.map((check) =>
      fixed ? `${logKey(check)}:${Math.floor(req.now / windowMs(check.layer))}` : logKey(check),
    );
  const sizes: number[] = [];
  const counts: number[] = [];
  for (const key of keysOf(last)) {
    sizes.push(Number(await client.memoryUsage(key, { SAMPLES: 0 })));
    counts.push(fixed ? Number(await client.get(key)) : await client.zCard(key));
  }
  return { sizes, counts };
}

const DOCS = "docs/benchmarks.md";
const START = "<!-- bench:admission:start (generated by `npm run bench:admission`) -->";
const END = "<!-- bench:admission:end -->";

/** Rewrites this benchmark's block of docs/benchmarks.md (or appends its section), leaving the rest alone. */
function writeReport(lines: string[]): void {
  const doc = readFileSync(DOCS, "utf8");
  const block = [START, ...lines, END].join("\n");
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  const next =
    start !== -1 && end !== -1
      ? doc.slice(0, start) + block + doc.slice(end + END.length)
      : `${doc.trimEnd()}\n\n## Admission script: fixed windows vs sliding logs (npm run bench:admission)\n\n${block}\n`;
  writeFileSync(DOCS, next);
}

async function main(): Promise<void> {
  const before = execFileSync("git", ["show", `${BEFORE_COMMIT}:lib/admission/redis-scripts.ts`], {
    encoding: "utf8",
  });
  const dir = mkdtempSync(join(tmpdir(), "bench-admission-"));
  writeFileSync(join(dir, "before.ts"), before);
  const { ADMIT_SCRIPT: fixedScript } = (await import(pathToFileURL(join(dir, "before.ts")).href)) as {
    ADMIT_SCRIPT: string;
  };
  rmSync(dir, { recursive: true });
  const { ADMIT_SCRIPT: slidingScript } = await import("../lib/admission/redis-scripts");

  const server = await startRedisServer();
  const client = createClient({ url: server.url });
  await client.connect();
  const redisPid = pidListeningOn(server.port);
  try {
    const info = machine();
    const version = (await client.info("server")).match(/redis_version:(\S+)/)?.[1];
    const load = (await import("node:os")).loadavg()[0]?.toFixed(2);
    // Several times each, interleaved, so that a change in the machine's load shows as a spread, not as a difference.
    const phases: Phase[] = [];
    for (let i = 0; i < RUNS; i++) {
      phases.push(await phase(client, redisPid, "fixed windows (before)", fixedScript, true));
      phases.push(await phase(client, redisPid, "sliding logs (now)", slidingScript, false));
    }
    const fixedMemory = await memoryPerIdentity(client, fixedScript, true, TYPICAL_ID);
    const logMemory = await memoryPerIdentity(client, slidingScript, false, TYPICAL_ID);
    const longMemory = await memoryPerIdentity(client, slidingScript, false, LONGEST_ID);
    log(JSON.stringify({ fixedMemory, logMemory, longMemory }));

    const best = (name: string) => {
      const runs = phases.filter((p) => p.name === name);
      return {
        usec: Math.min(...runs.map((p) => p.usecPerCall)),
        spread: runs.map((p) => p.usecPerCall.toFixed(1)).join(" / "),
        cpu: Math.min(...runs.map((p) => p.cpuUsPerCall)),
        cpuSpread: runs.map((p) => p.cpuUsPerCall.toFixed(1)).join(" / "),
        perSecond: Math.max(...runs.map((p) => p.perSecond)),
        admitted: runs.every((p) => p.admitted === p.admissions),
        admissions: runs[0]?.admissions ?? 0,
      };
    };
    const a = best("fixed windows (before)");
    const b = best("sliding logs (now)");
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    const lines = [
      `- Run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, \`npm run bench:admission\`; before = \`ADMIT_SCRIPT\` of commit ${BEFORE_COMMIT} (fixed windows), now = the working tree's (sliding logs).`,
      `- Machine: ${info.nproc} CPUs (${info.cpuModel}), shared with other work; load average at start ${load}. redis-server ${version}, one instance (its commands run on one core), node-redis client in this process, ${IN_FLIGHT} calls in flight.`,
      "",
      `${USERS} signed-in users, each on its own address, send one message a minute; measured: ${ROUNDS} minutes (${fmt(a.admissions)} admissions per run, all admitted: ${a.admitted && b.admitted ? "yes" : "NO"}) after 59 minutes of the same, so each hour log holds 59–60 entries (its fullest) at every measured admission. Limits at the defaults (5/min, 60/h, 30/min per IP), reply leases and credits on, a new conversation each time; the keys and arguments are the production backend's own (captured from \`RedisAdmissionBackend.admit\`). Each variant ran ${RUNS} times, interleaved; the best run is shown, every run in the spread.`,
      "",
      "| | fixed windows (before) | sliding logs (now) | ratio |",
      "| --- | ---: | ---: | ---: |",
      `| Redis CPU per admission (\`usec_per_call\` of EVALSHA, INFO commandstats) | ${a.usec.toFixed(1)} µs (${a.spread}) | ${b.usec.toFixed(1)} µs (${b.spread}) | ${(b.usec / a.usec).toFixed(2)}× |`,
      `| redis-server CPU time per admission (utime + stime from /proc, all of it: parsing, networking, the script) | ${a.cpu.toFixed(1)} µs (${a.cpuSpread}) | ${b.cpu.toFixed(1)} µs (${b.cpuSpread}) | ${(b.cpu / a.cpu).toFixed(2)}× |`,
      `| admissions/s one redis-server core can run (10⁶ / usec_per_call) | ${fmt(1e6 / a.usec)} | ${fmt(1e6 / b.usec)} | |`,
      `| admissions/s measured (client-bound: this process and redis share 2 busy cores) | ${fmt(a.perSecond)} | ${fmt(b.perSecond)} | |`,
      `| Redis memory per identity at full logs (\`MEMORY USAGE … SAMPLES 0\`: minute + hour keys) | ${fmt(sum(fixedMemory.sizes.slice(0, 2)))} B | ${fmt(sum(logMemory.sizes.slice(0, 2)))} B | |`,
      `| … of which the minute (${logMemory.counts[0]} entries) / the hour (${logMemory.counts[1]} entries) | ${fixedMemory.sizes[0]} / ${fixedMemory.sizes[1]} B | ${logMemory.sizes[0]} / ${logMemory.sizes[1]} B | |`,
      `| an address's per-IP minute at full (${logMemory.counts[2]} entries) | ${fixedMemory.sizes[2]} B | ${logMemory.sizes[2]} B | |`,
      `| same identity with 100-character message ids (the longest the API takes; entries over 64 bytes leave Redis' listpack encoding) | | ${fmt(sum(longMemory.sizes.slice(0, 2)))} B (+ ${fmt(longMemory.sizes[2] ?? 0)} B per address) | |`,
    ];
    writeReport(lines);
    log(lines.join("\n"));
  } finally {
    await client.quit().catch(() => {});
    await server.stop();
  }
}

await main();
