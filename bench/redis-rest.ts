// Benchmark: ratelimit.limit() through the Redis REST endpoint vs. EVALSHA straight to Redis (`npx tsx bench/redis-rest.ts`).
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { createClient } from "redis";
import { startRedisServer } from "../tools/redis-rest/redis-server";
import { sanitizeScript, sha1 } from "../tools/redis-rest/scripts";
import { startRedisRestServer } from "../tools/redis-rest/server";

const root = fileURLToPath(new URL("..", import.meta.url));
const SEQ = Number(process.env.BENCH_SEQ ?? 5000);
const CONC_TOTAL = Number(process.env.BENCH_CONC_TOTAL ?? 10_000);
const CONCURRENCY = 50;
const WARMUP = 3000;
/** Sequential runs are repeated; the table shows the run with the median mean (the VM is shared). */
const ROUNDS = 3;

type Stats = { mean: number; p50: number; p99: number; opsPerSec: number };
type Seq = Stats & { means: number[] };

function stats(samples: number[], wallMs: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const opsPerSec = (samples.length / wallMs) * 1000;
  return { mean, p50: pick(0.5), p99: pick(0.99), opsPerSec };
}

/** Runs `op` `total` times with `concurrency` callers in flight; per-call latencies in ms. */
async function measure(op: () => Promise<unknown>, total: number, concurrency: number): Promise<Stats> {
  const samples: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        const t = performance.now();
        await op();
        samples.push(performance.now() - t);
      }
    }),
  );
  return stats(samples, performance.now() - t0);
}

/** Starts the CLI in a child process (like `npm run redis-rest`) and returns its URL. */
async function startEndpointProcess(redisUrl: string, token: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tools/redis-rest/cli.ts", "--redis-url", redisUrl, "--port", "0", "--token", token],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`endpoint exited with ${code}: ${out}`)));
  });
  return { url, pid: child.pid as number, stop: () => child.kill("SIGTERM") };
}

/** Repeats a sequential measurement ROUNDS times; returns the run with the median mean and all means. */
async function sequential(op: () => Promise<unknown>): Promise<Seq> {
  const runs: Stats[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await measure(op, SEQ, 1));
  const byMean = [...runs].sort((a, b) => a.mean - b.mean);
  return { ...(byMean[Math.floor(ROUNDS / 2)] as Stats), means: runs.map((r) => r.mean) };
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc, 100 ticks/s). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** limit() stats; `cpuUs` = CPU µs per sequential call of [this process, ...pids]. */
async function benchLimit(url: string, token: string, pids: number[] = []) {
  const ratelimit = new Ratelimit({
    redis: new Redis({ url, token }),
    limiter: Ratelimit.fixedWindow(1_000_000_000, "1 h"), // never blocks: every call is one EVALSHA
    ephemeralCache: false,
    prefix: `bench:${randomBytes(4).toString("hex")}`,
  });
  const op = () => ratelimit.limit("user");
  await measure(op, WARMUP, 1);
  const cpu = () =>
    [process.cpuUsage(), ...pids.map(cpuMs)].map((c) =>
      typeof c === "number" ? c * 1000 : c.user + c.system,
    );
  const cpu0 = cpu();
  const seq = await sequential(op);
  const cpuUs = cpu().map((c, i) => Math.round((c - (cpu0[i] as number)) / (ROUNDS * SEQ)));
  await measure(op, WARMUP, CONCURRENCY);
  const conc = await measure(op, CONC_TOTAL, CONCURRENCY);
  return { seq, conc, cpuUs };
}

/** EVALSHA via redis-benchmark (C client, no pipelining); null when redis-benchmark is not installed. */
function redisBenchmark(port: number, sha: string, clients: number, n: number): Stats | null {
  const cmd = `-p ${port} -n ${n} -c ${clients} --csv --precision 3 EVALSHA ${sha} 1 rb:k 1000000000 3600000 1`;
  let csv: string;
  try {
    csv = execFileSync("redis-benchmark", cmd.split(" "), { encoding: "utf8" });
  } catch {
    return null;
  }
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...
  const [, rps, avg, , p50, , p99] = (csv.trim().split("\n").at(-1) ?? "")
    .replaceAll('"', "")
    .split(",")
    .map(Number);
  return { mean: avg as number, p50: p50 as number, p99: p99 as number, opsPerSec: rps as number };
}

function fmt(s: Stats | null): string {
  if (!s) return "| n/a | n/a | n/a | n/a |";
  return `| ${s.mean.toFixed(3)} | ${s.p50.toFixed(3)} | ${s.p99.toFixed(3)} | ${Math.round(s.opsPerSec).toLocaleString("en-US")} |`;
}

async function main(): Promise<void> {
  const load = (loadavg()[0] as number).toFixed(2);
  const redis = await startRedisServer();
  const token = randomBytes(16).toString("hex");
  const child = await startEndpointProcess(redis.url, token);
  const inProc = await startRedisRestServer({ redisUrl: redis.url, token });
  const direct = createClient({ url: redis.url });
  await direct.connect();
  try {
    console.error("ratelimit.limit() via endpoint (separate process)...");
    const redisPid = Number(/process_id:(\d+)/.exec(await direct.info("server"))?.[1]);
    const viaChild = await benchLimit(child.url, token, [child.pid, redisPid]);
    console.error("ratelimit.limit() via endpoint (same process as the client)...");
    const viaInProc = await benchLimit(inProc.url, token);

    // The exact EVALSHA the endpoint sends (script as stored after stripping allow-key-locking).
    const script = readFileSync(`${root}/node_modules/@upstash/ratelimit/dist/index.mjs`, "utf8").match(
      /var fixedWindowLimitScript = `([\s\S]*?)`;/,
    )?.[1];
    if (!script) throw new Error("fixedWindow script not found in @upstash/ratelimit");
    const storedSha = sha1(sanitizeScript(script));
    const args = ["EVALSHA", storedSha, "1", "nr:k", "1000000000", "3600000", "1"];
    console.error("EVALSHA straight to Redis...");
    const rbSeq = redisBenchmark(redis.port, storedSha, 1, 50_000);
    const rbConc = redisBenchmark(redis.port, storedSha, CONCURRENCY, 200_000);
    await measure(() => direct.sendCommand(args), WARMUP, 1);
    const nodeSeq = await sequential(() => direct.sendCommand(args));
    const nodeConc = await measure(() => direct.sendCommand(args), CONC_TOTAL, CONCURRENCY);

    const cpu = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
    const redisVersion = /redis_version:(\S+)/.exec(await direct.info("server"))?.[1] ?? "?";
    const section = `## Redis REST endpoint

\`ratelimit.limit()\` (@upstash/ratelimit \`fixedWindow\`, \`ephemeralCache: false\`, limit never reached, so every
call is exactly one EVALSHA) through the project's Upstash-compatible endpoint (\`tools/redis-rest\`) on loopback,
compared with the same EVALSHA sent straight to Redis. Latencies in ms per call.

- Command: \`npx tsx bench/redis-rest.ts\` (run ${new Date().toISOString().slice(0, 10)})
- Machine: ${availableParallelism()} CPUs (nproc), ${cpu}; Node ${process.version}; Redis ${redisVersion};
  1-min load average before the run: ${load} (shared VM; other work running shifts the tail and the mean)
- Sequential: ${ROUNDS} runs of ${SEQ} calls after ${WARMUP} warm-up calls, the run with the median mean is shown
  (means of all runs, separate process: ${viaChild.seq.means.map((m) => m.toFixed(3)).join(" / ")} ms; same process:
  ${viaInProc.seq.means.map((m) => m.toFixed(3)).join(" / ")} ms). Concurrent: ${CONC_TOTAL} calls, ${CONCURRENCY} in flight.
- "separate process" = endpoint started via the CLI (as with \`npm run redis:dev\`); "same process" = endpoint
  in-process next to the client (as \`test/support/redis.ts\` does).
- @upstash/redis auto-pipelines by default: concurrent \`limit()\` calls share \`POST /pipeline\` requests (one HTTP
  round trip carries many EVALSHAs), which is why calls/s grows with concurrency.

| Path | mean | p50 | p99 | calls/s |
| --- | ---: | ---: | ---: | ---: |
| limit() via endpoint, separate process, sequential ${fmt(viaChild.seq)}
| limit() via endpoint, separate process, concurrency ${CONCURRENCY} ${fmt(viaChild.conc)}
| limit() via endpoint, same process, sequential ${fmt(viaInProc.seq)}
| limit() via endpoint, same process, concurrency ${CONCURRENCY} ${fmt(viaInProc.conc)}
| EVALSHA direct, redis-benchmark -c 1 ${fmt(rbSeq)}
| EVALSHA direct, redis-benchmark -c ${CONCURRENCY} ${fmt(rbConc)}
| EVALSHA direct, node-redis, sequential ${fmt(nodeSeq)}
| EVALSHA direct, node-redis, concurrency ${CONCURRENCY} ${fmt(nodeConc)}

CPU time per sequential call (separate process runs, from /proc and \`process.cpuUsage()\`): client (ratelimit +
@upstash/redis + fetch) ${viaChild.cpuUs[0]} µs, endpoint ${viaChild.cpuUs[1]} µs, redis-server ${viaChild.cpuUs[2]} µs.
With one request in flight the three processes mostly run one after another, so per-call latency is roughly the sum
of their CPU time plus the loopback wake-ups between them.

Target: mean sequential \`limit()\` <= 0.6 ms (a naive bridge measured 1.03 ms on this machine).
`;
    console.log(section);
    writeSection(`${root}/docs/benchmarks.md`, section);
  } finally {
    direct.destroy();
    await inProc.close();
    child.stop();
    await redis.stop();
  }
}

/** Replaces (or appends) the "## Redis REST endpoint" section, leaving other sections alone. */
function writeSection(file: string, section: string): void {
  const doc = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = doc.indexOf("## Redis REST endpoint");
  const next = start === -1 ? -1 : doc.indexOf("\n## ", start + 1);
  const before = start === -1 ? `${doc.trimEnd()}\n\n` : doc.slice(0, start);
  writeFileSync(file, before + section + (next === -1 ? "" : `\n${doc.slice(next + 1)}`));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
