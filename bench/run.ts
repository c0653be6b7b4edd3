// `npm run bench [-- <scenario>…]`: runs the chat benchmark's scenarios (all, or those named) on a production
// build and rewrites their blocks in docs/benchmarks.md ("## Chat throttle") and bench/results/chat-*.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { startRedisServer } from "../test/support/redis";
import { build } from "./build";
import { handleInterrupts, log, quietWaitedS } from "./harness";
import { machine } from "./machine";
import { type RunInfo, renderBlock, writeSection } from "./report";
import type { Scenario } from "./scenario";
import { burst } from "./scenarios/burst";
import { firstLoad } from "./scenarios/first-load";
import { floodScenario } from "./scenarios/flood";
import { limiterCalls } from "./scenarios/limiter-calls";
import { roundTripsScenario } from "./scenarios/round-trips";
import { throughput } from "./scenarios/throughput";
import { prepareEnvironment, WRITE_DOCS } from "./settings";

/** Every scenario, in the order a full run runs them and the docs list them. */
const SCENARIOS: Scenario<unknown>[] = [
  throughput,
  limiterCalls,
  roundTripsScenario,
  firstLoad,
  burst,
  floodScenario,
];

function selected(args: string[]): Scenario<unknown>[] {
  const names = args.filter((a) => a !== "--");
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    throw new Error(
      `unknown scenario ${unknown.map((n) => `"${n}"`).join(", ")}; choose from: ${SCENARIOS.map((s) => s.name).join(", ")}`,
    );
  }
  return names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
}

/** Fails before the build, with the install hint, when redis-server cannot start. */
async function requireRedisServer(): Promise<void> {
  const redis = await startRedisServer();
  await redis.stop();
}

async function main(): Promise<void> {
  const scenarios = selected(process.argv.slice(2));
  prepareEnvironment();
  handleInterrupts();
  if (scenarios.some((s) => s.needsRedis)) await requireRedisServer();
  const command = `npm run bench${scenarios.length === SCENARIOS.length ? "" : ` -- ${scenarios.map((s) => s.name).join(" ")}`}`;
  log(`${command}: ${scenarios.map((s) => s.name).join(", ")}`);
  build();
  const info = machine();
  log(
    `${info.nproc} CPUs (${info.cpuModel}), ${info.ramGiB.toFixed(0)} GiB, node ${info.node}, next ${info.next}`,
  );

  const date = new Date().toISOString();
  const results: Record<string, unknown> = {};
  const runs: Record<string, RunInfo> = {};
  const blocks = new Map<string, string>();
  for (const scenario of scenarios) {
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const waited = quietWaitedS();
    const result = await scenario.run();
    const run: RunInfo = {
      date: startedAt,
      command,
      machine: info,
      seconds: (performance.now() - started) / 1000,
      quietWaitedS: quietWaitedS() - waited,
    };
    results[scenario.name] = result;
    runs[scenario.name] = run;
    blocks.set(scenario.name, renderBlock(scenario, result, run));
  }

  mkdirSync("bench/results", { recursive: true });
  const jsonPath = `bench/results/chat-${date.replace(/[:.]/g, "-")}.json`;
  const raw = { date, command, machine: info, runs, results };
  writeFileSync(jsonPath, `${JSON.stringify(raw, (k, v) => (k === "latencies" ? undefined : v), 2)}\n`);
  console.log(`\n${[...blocks.values()].join("\n\n")}\n`);
  if (WRITE_DOCS) {
    writeSection("docs/benchmarks.md", SCENARIOS, blocks);
    log(`wrote the blocks of ${[...blocks.keys()].join(", ")} in docs/benchmarks.md and ${jsonPath}`);
  } else log(`BENCH_WRITE_DOCS=0: docs untouched; raw results in ${jsonPath}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // The message first (e.g. how to install redis-server), then where it came from.
    if (error instanceof Error) {
      const frames = (error.stack ?? "").replace(`${error.name}: ${error.message}\n`, "");
      console.error(`bench: ${error.message}\n${frames}`);
    } else console.error("bench:", error);
    process.exit(1);
  },
);
