// burst: health latency during bursts of 1,000 concurrent anonymous chat clients (in-memory store).
import { type BurstResult, type BurstRound, healthUnderBurst } from "../burst";
import { f1 } from "../format";
import { log, withApp } from "../harness";
import type { Scenario } from "../scenario";
import * as S from "../settings";

function connectionErrors(b: BurstResult): string {
  const n = b.rounds.reduce(
    (sum, r) =>
      sum + Object.entries(r.statusCounts).reduce((s, [k, v]) => s + (k.startsWith("error") ? v : 0), 0),
    0,
  );
  return n ? `**${n}**` : "none";
}

function burstLines(b: BurstResult): string[] {
  const target = 2 * b.idle.p99;
  const met = b.during.p99 <= target;
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .sort()
      .map(([s, n]) => `${n.toLocaleString("en-US")}× ${s}`)
      .join(", ");
  const firstSlow = (r: BurstRound) =>
    r.slow.length
      ? `${f1(r.slow[0]?.ms ?? Number.NaN)} ms at +${(r.slow[0]?.atS ?? 0).toFixed(2)} s`
      : "none";
  return [
    `${b.rounds.length} bursts of ${b.clients.toLocaleString("en-US")} concurrent anonymous \`POST /api/chat/message\` ` +
      `(${b.addresses} client addresses × ${b.clients / b.addresses} clients, one request each, every body read) ` +
      "from a separate process, fired all at once; meanwhile the benchmark probes `GET /api/health` one request at a " +
      `time with ${b.gapMs} ms between probes. Idle: ${b.idle.n} probes on the warm server before the bursts. ` +
      "In-memory store, default limits and concurrency cap, offline model at zero delay.",
    "",
    "| Health probes | n | p50 ms | p99 ms | max ms |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| idle | ${b.idle.n} | ${f1(b.idle.p50)} | ${f1(b.idle.p99)} | ${f1(b.idle.max)} |`,
    `| during the bursts | ${b.during.n} | ${f1(b.during.p50)} | ${f1(b.during.p99)} | ${f1(b.during.max)} |`,
    "",
    "| Burst | responses | burst s | server CPU s | probes | p50 ms | p99 ms | max ms | probes > 2× idle p99 | first of them |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...b.rounds.map(
      (r, i) =>
        `| ${i + 1} | ${counts(r.statusCounts)} | ${r.burstSeconds.toFixed(2)} | ${r.serverCpuSeconds.toFixed(2)} | ` +
        `${r.during.n} | ${f1(r.during.p50)} | ${f1(r.during.p99)} | ${f1(r.during.max)} | ${r.slow.length} | ${firstSlow(r)} |`,
    ),
    "",
    `- Health p99 during the bursts ${f1(b.during.p99)} ms vs idle ${f1(b.idle.p99)} ms; target ≤ 2× idle ` +
      `(${f1(target)} ms): **${met ? "met" : "missed"}**. No 5xx: ` +
      `**${b.rounds.every((r) => Object.keys(r.statusCounts).every((s) => !(Number(s) >= 500))) ? "met" : "missed"}**` +
      `; requests that got no HTTP answer at all ("error …", by cause): ${connectionErrors(b)}.`,
  ];
}

export const burst: Scenario<BurstResult> = {
  name: "burst",
  title: "health during bursts of concurrent anonymous clients (in-memory store)",
  about: `\`burst\` — health during bursts of 1,000 concurrent anonymous chat clients (\`bench/burst-client.ts\`, its own
  process, so neither the load generator's nor the prober's event loop skews the other's timings): health probed one
  request at a time, idle on the warm server and during the bursts. Target: p99 during ≤ 2× idle p99.`,
  needsRedis: false,
  async run() {
    log(`— burst: ${S.BURST_ROUNDS} bursts of ${S.BURST_CLIENTS} clients —`);
    // Default limits and concurrency cap, as a production server would run (BASE_ENV turns the cap off).
    const result = await withApp({ CHAT_MAX_CONCURRENT_STREAMS: "2" }, null, [], ({ app, pid }) =>
      healthUnderBurst(app, pid, {
        clients: S.BURST_CLIENTS,
        addresses: Math.max(1, Math.round(S.BURST_CLIENTS / 10)),
        rounds: S.BURST_ROUNDS,
        idleProbes: 200,
        gapMs: 20,
      }),
    );
    log(
      `health under bursts: p99 ${result.during.p99.toFixed(1)} ms vs idle ${result.idle.p99.toFixed(1)} ms`,
    );
    return result;
  },
  render: burstLines,
};
