// Health under a burst: 1,000 concurrent anonymous chat clients (a child process) while this process probes
// GET /api/health one request at a time; idle vs during, and when during the burst the slow probes happened.
import { spawn } from "node:child_process";
import type { AppServer } from "../test/support/app-server";
import { percentile } from "./load";
import { processTicks } from "./procfs";

export interface ProbeStats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface BurstRound {
  statusCounts: Record<string, number>;
  /** Wall time from the first request sent to the last response read, as the client saw it. */
  burstSeconds: number;
  /** CPU time the `next start` process used from the first request until the client exited. */
  serverCpuSeconds: number;
  during: ProbeStats;
  /** Every probe slower than twice the idle p99: seconds after the burst began, and its latency (ms). */
  slow: { atS: number; ms: number }[];
}

export interface BurstResult {
  clients: number;
  addresses: number;
  gapMs: number;
  idle: ProbeStats;
  rounds: BurstRound[];
  /** All rounds' probes together. */
  during: ProbeStats;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stats(values: number[]): ProbeStats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

async function probe(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(30_000) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`health answered ${res.status} during the burst`);
  return performance.now() - started;
}

/** Runs the client process; resolves when it has sent its first request ("go") and again when it exits. */
function startBurst(url: string, clients: number, addresses: number, prefix: string) {
  const child = spawn(
    "node_modules/.bin/tsx",
    ["bench/burst-client.ts", url, String(clients), String(addresses), prefix],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  let onGo: () => void = () => {};
  const go = new Promise<void>((resolve) => (onGo = resolve));
  child.stdout.on("data", (d) => {
    out += d;
    if (out.includes("go\n")) onGo();
  });
  const done = new Promise<{ counts: Record<string, number>; seconds: number }>((resolve, reject) =>
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) reject(new Error(`burst client exited with ${code}: ${out}`));
      else resolve(JSON.parse(line));
    }),
  );
  return { go, done };
}

export async function healthUnderBurst(
  app: AppServer,
  pid: number,
  opts: { clients: number; addresses: number; rounds: number; idleProbes: number; gapMs: number },
): Promise<BurstResult> {
  for (let i = 0; i < 30; i++) await probe(app.url); // warm-up: JIT, first-request compilation
  const idle: number[] = [];
  for (let i = 0; i < opts.idleProbes; i++) {
    idle.push(await probe(app.url));
    await sleep(opts.gapMs);
  }
  const idleStats = stats(idle);
  const rounds: BurstRound[] = [];
  const all: number[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    // Fresh addresses every round (100.64.x.1, 100.65.x.1, …), so each round meets the same limits.
    const burst = startBurst(app.url, opts.clients, opts.addresses, `100.${64 + round}`);
    await burst.go;
    const cpu0 = processTicks(pid);
    const t0 = performance.now();
    let finished = false;
    const result = burst.done.finally(() => {
      finished = true;
    });
    const during: number[] = [];
    const slow: BurstRound["slow"] = [];
    while (!finished) {
      const at = (performance.now() - t0) / 1000;
      const ms = await probe(app.url);
      during.push(ms);
      if (ms > 2 * idleStats.p99) slow.push({ atS: at, ms });
      await sleep(opts.gapMs);
    }
    const { counts, seconds } = await result;
    rounds.push({
      statusCounts: counts,
      burstSeconds: seconds,
      serverCpuSeconds: (processTicks(pid) - cpu0) / 100,
      during: stats(during),
      slow,
    });
    all.push(...during);
    await sleep(3_000); // let titles and persistence from this round finish before the next
  }
  return {
    clients: opts.clients,
    addresses: opts.addresses,
    gapMs: opts.gapMs,
    idle: idleStats,
    rounds,
    during: stats(all),
  };
}
