// Runs several load scenarios interleaved in short slices, so background load on a shared machine hits them alike.
import { type Ctx, drained, log, perRequest, waitForQuiet } from "./harness";
import { type LoadResult, type LoadSpec, mergeLoads, runLoad } from "./load";
import { foreignCpuMeter } from "./procfs";
import { diffCalls } from "./redis-stack";
import { CONNECTIONS, CPUS, DURATION_S, ROUNDS, WARMUP_S } from "./settings";

export type Measured = LoadResult & {
  /** Share of all CPUs used by processes other than ours during the run (a shared machine). */
  foreignCpu: number;
  /** Redis commands (INFO commandstats, scripts' inner calls included) per request sent. */
  redisPerRequest: Record<string, number>;
  /** req/s of each interleaved slice, in round order. */
  sliceRps: number[];
};

export interface Interleaved<K extends string> {
  key: K;
  ctx: Ctx;
  spec: Omit<LoadSpec, "connections" | "duration">;
}

/**
 * A warm-up each, then ROUNDS rounds in which every scenario gets one slice of DURATION_S / ROUNDS seconds (order
 * rotated per round). On a shared machine, background load then hits every scenario alike instead of whichever
 * happened to run during someone else's build.
 */
export async function interleave<K extends string>(scenarios: Interleaved<K>[]): Promise<Map<K, Measured>> {
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
  const slices = new Map<K, { runs: LoadResult[]; foreign: number[]; calls: Record<string, number>[] }>();
  const slice = Math.max(1, DURATION_S / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < scenarios.length; i++) {
      const { key, ctx, spec } = scenarios[(i + round) % scenarios.length] as Interleaved<K>;
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
  const out = new Map<K, Measured>();
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
