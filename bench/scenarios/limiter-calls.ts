// limiter-calls: store HTTP calls and Redis commands per admitted request, limits ON vs OFF (the limiter's share).
import { f2, redisCell, shapeList, verdict } from "../format";
import { log, perRequest, postChat, withApp } from "../harness";
import { percentile } from "../load";
import { type BenchRedis, diffCalls, startBenchRedis } from "../redis-stack";
import type { Scenario } from "../scenario";
import * as S from "../settings";
import { settle, shapes, startStoreProxy } from "../store-proxy";

export interface CountSide {
  label: string;
  requests: number;
  statuses: Record<string, number>;
  httpCallsPerRequest: number;
  httpCallsByPathPerRequest: Record<string, number>;
  commandsPerRequest: number;
  limiterHttpCallsPerRequest: number;
  limiterCommandsPerRequest: number;
  /** Calls that carried limiter commands together with other commands (auto-pipelining can batch them). */
  limiterCallsSharedWithOtherCommands: number;
  limiterCallShapes: Record<string, number>;
  otherCallShapes: Record<string, number>;
  redisCommandsPerRequest: Record<string, number>;
  /** Latency of one admitted request with nothing else running (ms, whole stream read). */
  latencyP50: number;
  latencyMean: number;
}

const roundAll = (o: Record<string, number>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 100) / 100]));

async function countSide(
  redis: BenchRedis,
  limits: Record<string, string>,
  label: string,
): Promise<CountSide> {
  await redis.flushAll();
  const proxy = await startStoreProxy(redis.restUrl);
  try {
    const env = { UPSTASH_REDIS_REST_URL: proxy.url, UPSTASH_REDIS_REST_TOKEN: redis.restToken, ...limits };
    return await withApp(env, null, [], async (ctx) => {
      // Warm-up: loads the Lua scripts (NOSCRIPT → EVAL once) and JIT-compiles the route.
      for (let i = 0; i < 10; i++) await postChat(ctx.app.url, S.ADMITTED_IP);
      await settle(proxy);
      const skip = proxy.calls.length;
      const before = await redis.commandCalls();
      const statuses: Record<string, number> = {};
      const latencies: number[] = [];
      for (let i = 0; i < S.COUNT_REQUESTS; i++) {
        const t = performance.now();
        const status = await postChat(ctx.app.url, S.ADMITTED_IP);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      await settle(proxy);
      const redisCalls = diffCalls(await redis.commandCalls(), before);
      const calls = proxy.calls.slice(skip);
      const n = S.COUNT_REQUESTS;
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
        limiterCallsSharedWithOtherCommands: limiterCalls.filter((c) => c.commands.length > c.limiterCommands)
          .length,
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
    });
  } finally {
    await proxy.close();
  }
}

export const limiterCalls: Scenario<{ on: CountSide; off: CountSide }> = {
  name: "limiter-calls",
  title: "store calls per admitted request, and the limiter's share",
  about: `\`limiter-calls\` — 200 sequential anonymous requests, a new conversation each, through a counting
  pass-through in front of the REST endpoint (every HTTP call the app makes, classified by the keys its commands
  touch) plus Redis' \`INFO commandstats\`, limits ON vs OFF (concurrency cap and credits off): the difference is the
  limiter's share; the rest is the conversation store. Target: the limiter adds at most one store round trip.`,
  needsRedis: true,
  async run() {
    const redis = await startBenchRedis(S.ROOT);
    try {
      log("— limiter-calls —");
      return {
        on: await countSide(redis, S.LIMITS_HUGE, "limits ON"),
        off: await countSide(redis, S.LIMITS_OFF, "limits OFF"),
      };
    } finally {
      await redis.stop();
    }
  },
  render({ on, off }) {
    const evalsha = (c: CountSide) => c.redisCommandsPerRequest.EVALSHA ?? 0;
    const total = (c: CountSide) => Object.values(c.redisCommandsPerRequest).reduce((a, b) => a + b, 0);
    const row = (name: string, get: (c: CountSide) => number) =>
      `| ${name} | ${f2(get(on))} | ${f2(get(off))} | ${f2(get(on) - get(off))} |`;
    const limiterCalls = on.limiterHttpCallsPerRequest;
    const byPath = (c: CountSide) =>
      Object.entries(c.httpCallsByPathPerRequest)
        .map(([p, n]) => `\`${p}\` ${f2(n)}`)
        .join(", ");
    const met = limiterCalls <= 1.0001 && on.httpCallsPerRequest - off.httpCallsPerRequest <= 1.0001;
    return [
      `${on.requests} admitted requests sent one after another (after 10 warm-up requests), each a new conversation,`,
      "through a counting pass-through in front of the REST endpoint; Redis' `INFO commandstats` diffed around them.",
      "",
      "| Per admitted request | limits ON | limits OFF | limiter's share (ON − OFF) |",
      "| --- | ---: | ---: | ---: |",
      row("HTTP calls to the REST endpoint (round trips)", (c) => c.httpCallsPerRequest),
      row("… of which carry limiter commands (`rl:chat:*` keys)", (c) => c.limiterHttpCallsPerRequest),
      row("Commands sent over HTTP", (c) => c.commandsPerRequest),
      row("… limiter commands", (c) => c.limiterCommandsPerRequest),
      row("Redis `EVALSHA` calls (commandstats)", evalsha),
      row("All Redis commands (commandstats; scripts' inner calls included)", total),
      row("Latency of the request alone, p50 ms (stream read to the end)", (c) => c.latencyP50),
      row("Latency of the request alone, mean ms", (c) => c.latencyMean),
      "",
      `- Limiter round trips per admitted request: **${f2(limiterCalls)}** HTTP call(s) carrying ` +
        `${f2(on.limiterCommandsPerRequest)} limiter commands; ${on.limiterCallsSharedWithOtherCommands} of those calls ` +
        `also carried other commands. Target "at most one Redis round trip": ${verdict(met)}.`,
      `- HTTP calls by path (ON): ${byPath(on)}; (OFF): ${byPath(off)}.`,
      `- Limiter calls seen (ON): ${shapeList(on.limiterCallShapes)}`,
      `- Every other call (ON): ${shapeList(on.otherCallShapes)}`,
      `- Redis commands per request (ON): ${redisCell(on.redisCommandsPerRequest)}; (OFF): ${redisCell(off.redisCommandsPerRequest)}`,
    ];
  },
};
