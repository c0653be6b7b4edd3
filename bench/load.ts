// Load generation for the chat benchmark: autocannon runs with per-request bodies/headers, and exact latencies.
import autocannon, { type AutocannonRequest } from "autocannon";

export interface LoadResult {
  label: string;
  /** Completed responses per second over the run. */
  rps: number;
  /** Latency percentiles in ms, from every response's own timing (autocannon's histogram rounds to 1 ms). */
  p50: number;
  p99: number;
  mean: number;
  completed: number;
  /** Requests written, including those still in flight when the run stopped. */
  sent: number;
  durationS: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Every response's latency (ms), sorted; for merging runs (left out of the JSON results). */
  latencies: number[];
}

export interface LoadSpec {
  label: string;
  url: string;
  method?: "GET" | "POST";
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  /** Builds request n (0-based, global across connections): headers and body. */
  request?: (n: number) => { headers?: Record<string, string>; body?: string };
  /** One fixed request, built once by autocannon (no per-request work in the load generator). */
  fixed?: { headers: Record<string, string>; body?: string };
  /** Per-request timeout in seconds. */
  timeoutS?: number;
  /** Stops the run after this many seconds even if `amount` was not reached. */
  stopAfterS?: number;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let n = 0;
  const build = spec.request;
  const requests: AutocannonRequest[] | undefined = build
    ? [
        {
          method: spec.method ?? "GET",
          setupRequest: (request) => {
            const next = build(n++);
            request.headers = { ...request.headers, ...next.headers };
            if (next.body !== undefined) request.body = next.body;
            return request;
          },
        },
      ]
    : undefined;
  const latencies: number[] = [];
  const instance = autocannon({
    url: spec.url,
    method: spec.method ?? "GET",
    connections: spec.connections,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
    timeout: spec.timeoutS ?? 10,
    ...(spec.fixed ? { headers: spec.fixed.headers, body: spec.fixed.body } : {}),
    requests,
    title: spec.label,
  });
  instance.on("response", (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const stopTimer = spec.stopAfterS ? setTimeout(() => instance.stop(), spec.stopAfterS * 1000) : undefined;
  const result = await instance;
  clearTimeout(stopTimer);
  latencies.sort((a, b) => a - b);
  const statusCounts: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCounts[code] = count;
  const completed = latencies.length;
  return {
    label: spec.label,
    rps: completed / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    mean: completed ? latencies.reduce((a, b) => a + b, 0) / completed : Number.NaN,
    completed,
    sent: result.requests.sent,
    durationS: result.duration,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    latencies,
  };
}

/** Combines runs of one scenario (e.g. interleaved slices) into one result. */
export function mergeLoads(label: string, runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const durationS = runs.reduce((s, r) => s + r.durationS, 0);
  const statusCounts: Record<string, number> = {};
  for (const r of runs) {
    for (const [code, n] of Object.entries(r.statusCounts))
      statusCounts[code] = (statusCounts[code] ?? 0) + n;
  }
  const sum = (pick: (r: LoadResult) => number) => runs.reduce((s, r) => s + pick(r), 0);
  return {
    label,
    rps: latencies.length / durationS,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : Number.NaN,
    completed: latencies.length,
    sent: sum((r) => r.sent),
    durationS,
    statusCounts,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    latencies,
  };
}

/** Address n of 198.18.0.0/15 (RFC 2544's benchmarking range; only ever a header value, never dialled). */
export function benchIp(n: number): string {
  const i = n % 131_072;
  return `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}
