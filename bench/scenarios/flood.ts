// flood: 100k distinct anonymous IPs against the in-memory store: RSS, retained heap and the app's map sizes.
import { chatBody } from "../../test/support/chat-body";
import { log, mib, newConversation, sleep, waitForQuiet, withApp } from "../harness";
import { type HeapProbe, inspectorUrl, probeHeap } from "../inspector";
import { benchIp, type LoadResult, runLoad } from "../load";
import { foreignCpuMeter, memoryStatus, resetPeakRss } from "../procfs";
import type { Scenario } from "../scenario";
import * as S from "../settings";
import { type FloodResult, floodLines } from "./flood-report";

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

const chatUrl = (url: string) => `${url}/api/chat/message`;

async function flood(): Promise<FloodResult> {
  log(`— flood: ${S.FLOOD_IPS} distinct IPs, in-memory store, concurrency cap and credits on —`);
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
      url: chatUrl(app.url),
      method: "POST",
      connections: 20,
      amount: 400,
      request: (n) => ({
        headers: { ...S.JSON_HEADERS, "x-forwarded-for": benchIp(warmBase + n) },
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
    const foreign = foreignCpuMeter(() => [process.pid, pid], S.CPUS);
    let result: LoadResult;
    try {
      result = await runLoad({
        label: "flood",
        url: chatUrl(app.url),
        method: "POST",
        connections: S.FLOOD_CONNECTIONS,
        amount: S.FLOOD_IPS,
        request: (n) => {
          sent = n + 1;
          return {
            headers: { ...S.JSON_HEADERS, "x-forwarded-for": benchIp(n) },
            body: n % S.FLOOD_CHAT_EVERY === 0 ? chatBody(newConversation()) : "{}",
          };
        },
        stopAfterS: S.FLOOD_MAX_S,
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
    await sleep(Math.max(0, S.FLOOD_SETTLE_S * 1000 - 1_000));
    const after = safeMemory(pid).rss;
    const heapAfter = await safeProbe(ws);
    const crashed = Number.isNaN(end.rss) || Number.isNaN(after);
    if (crashed) log(`flood: the server died:\n${app.output().slice(-3000)}`);
    const ipsSent = Math.min(sent, S.FLOOD_IPS);
    log(
      `flood: ${ipsSent} IPs in ${floodSeconds.toFixed(0)} s (${result.rps.toFixed(0)} req/s, status ${JSON.stringify(result.statusCounts)}); ` +
        `RSS before ${mib(before)}, peak ${mib(peak)}, end ${mib(end.rss)}, +${S.FLOOD_SETTLE_S}s ${mib(after)}; ` +
        `heap after GC ${mib(heapBefore.heapUsed)} → ${mib(heapEnd.heapUsed)} → ${mib(heapAfter.heapUsed)}; ` +
        `entries ${JSON.stringify(heapEnd.entries)}`,
    );
    return {
      ips: ipsSent,
      requested: S.FLOOD_IPS,
      chatEvery: S.FLOOD_CHAT_EVERY,
      connections: S.FLOOD_CONNECTIONS,
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
      settleS: S.FLOOD_SETTLE_S,
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

export const floodScenario: Scenario<FloodResult> = {
  name: "flood",
  title: "memory under a flood from distinct IPs (in-memory store)",
  about: `\`flood\` — 100k distinct anonymous IPs, one request each (in-memory store, default limits, concurrency cap
  and credits on): RSS of the \`next start\` process from /proc (VmRSS every 250 ms, VmHWM), and through a
  loopback-only inspector (\`--inspect=127.0.0.1:0\` on this server only) the JS heap retained after a forced GC and
  the entry count of every Map and Set in the app's services (limiter windows, leases, usage, conversations, …).`,
  needsRedis: false,
  run: flood,
  render: floodLines,
};
