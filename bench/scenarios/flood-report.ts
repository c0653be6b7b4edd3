// flood's results and their markdown: RSS over the flood, retained heap and the app's map sizes.
import { f0, pct, statuses } from "../format";
import { mib } from "../harness";
import type { HeapProbe } from "../inspector";

export interface FloodResult {
  ips: number;
  requested: number;
  chatEvery: number;
  connections: number;
  seconds: number;
  rps: number;
  statusCounts: Record<string, number>;
  errors: number;
  foreignCpu: number;
  rssBefore: number;
  rssPeak: number;
  peakFrom: string;
  rssEnd: number;
  rssAfter: number;
  settleS: number;
  /** RSS when 25/50/75/100% of the IPs had been sent, and the seconds into the flood. */
  quarters: { ips: number; rss: number; t: number }[];
  /** Retained JS heap (after a forced GC) and in-memory map sizes: before, right after, and after settling. */
  heap: { before: HeapProbe; end: HeapProbe; after: HeapProbe };
  /** Set when the server process died during the flood (e.g. its out-of-memory line). */
  serverDied: string | null;
}

export function floodLines(fl: FloodResult): string[] {
  const grown = fl.rssPeak - fl.rssBefore;
  const retained = fl.heap.end.heapUsed - fl.heap.before.heapUsed;
  const { before, end, after } = fl.heap;
  const names = [
    ...new Set([...Object.keys(before.entries), ...Object.keys(end.entries), ...Object.keys(after.entries)]),
  ];
  const entry = (p: HeapProbe, name: string) => {
    const v = p.entries[name];
    return v === null || v === undefined ? "—" : f0(v);
  };
  const bare = (b: number) => mib(b).replace(" MiB", "");
  return [
    `${f0(fl.ips)} of ${f0(fl.requested)} distinct client IPs (\`x-forwarded-for\` over 198.18.0.0/15), one \`POST ` +
      `/api/chat/message\` each, ${fl.connections} connections, in ${f0(fl.seconds)} s (${f0(fl.rps)} req/s, other load ` +
      `${pct(fl.foreignCpu)}). Every ${fl.chatEvery === 1 ? "request" : `${fl.chatEvery}th request`} is a full chat ` +
      "message (the admission step: limits, reply lease, credits, claim → reply → settle: usage and messages saved)" +
      (fl.chatEvery === 1
        ? "."
        : "; the others send `{}`, refused by validation (400) before anything is counted, so windows are held for the full messages only."),
    "Limits at their defaults (5/min, 60/h, 30/min per IP), `CHAT_MAX_CONCURRENT_STREAMS=2`, " +
      `\`CHAT_DAILY_TOKEN_BUDGET=100000\`, in-memory store. Responses: ${statuses(fl)}.`,
    "",
    `| \`next start\` RSS, MiB | before | at 25% | at 50% | at 75% | at 100% | peak | end | +${fl.settleS} s idle |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| RSS | ${bare(fl.rssBefore)} | ${fl.quarters.map((q) => bare(q.rss)).join(" | ")} | ` +
      `${bare(fl.rssPeak)} | ${bare(fl.rssEnd)} | ${bare(fl.rssAfter)} |`,
    `| seconds into the flood | 0 | ${fl.quarters.map((q) => f0(q.t)).join(" | ")} | | | |`,
    "",
    "Inside the process (inspector on loopback: forced full GC, then `Runtime.getHeapUsage` and the size of every",
    "Map and Set in the app's services, by field path):",
    "",
    `| | before | right after the flood | +${fl.settleS} s |`,
    "| --- | ---: | ---: | ---: |",
    `| JS heap retained after GC | ${mib(before.heapUsed)} | ${mib(end.heapUsed)} | ${mib(after.heapUsed)} |`,
    ...names.map((n) => `| \`${n}\` entries | ${entry(before, n)} | ${entry(end, n)} | ${entry(after, n)} |`),
    "",
    ...(fl.serverDied ? [`- **The server died during the flood:** \`${fl.serverDied}\``] : []),
    `- RSS peak − before = ${mib(grown)} (peak from ${fl.peakFrom}); retained heap grew ${mib(retained)} ≈ ` +
      `${f0(retained / Math.max(1, fl.ips))} bytes per distinct IP.`,
  ];
}
