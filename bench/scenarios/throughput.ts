// throughput: health, the 429 path and admitted chat under 50 connections, in-memory store and Redis store.
import { chatBody } from "../../test/support/chat-body";
import { f0, f2, pct, redisCell, statuses, verdict } from "../format";
import { admittedRequest, type Ctx, log, postChat, withApp } from "../harness";
import { interleave, type Measured } from "../interleave";
import { type BenchRedis, startBenchRedis } from "../redis-stack";
import type { Scenario } from "../scenario";
import * as S from "../settings";

export interface StoreResults {
  store: "memory" | "redis";
  health: Measured;
  refused: Measured;
  admittedOn: Measured;
  admittedOff: Measured;
  /** "[store] Redis unavailable" lines the server logged during the admitted runs. */
  storeFailures: string[];
}

export interface ThroughputResult {
  settings: { durationS: number; rounds: number; warmupS: number; connections: number };
  stores: StoreResults[];
}

async function benchStore(kind: "memory" | "redis", redis: BenchRedis | null): Promise<StoreResults> {
  const storeEnv: Record<string, string> = redis
    ? { UPSTASH_REDIS_REST_URL: redis.restUrl, UPSTASH_REDIS_REST_TOKEN: redis.restToken }
    : {};
  const extraPids = redis ? [redis.redisPid, redis.restPid] : [];
  log(`— throughput, ${kind} store —`);
  await redis?.flushAll();
  // Three servers side by side (an idle one costs no CPU), so their runs can be interleaved.
  return withApp({ ...storeEnv, ...S.LIMITS_ONE }, redis, extraPids, (blocking) =>
    withApp({ ...storeEnv, ...S.LIMITS_HUGE }, redis, extraPids, (limitsOn) =>
      withApp({ ...storeEnv, ...S.LIMITS_OFF }, redis, extraPids, async (limitsOff) => {
        const servers = [blocking, limitsOn, limitsOff];
        const allPids = () => [...servers.map((c) => c.pid), ...extraPids];
        for (const c of servers) c.allPids = allPids;
        const first = await postChat(blocking.app.url, S.BLOCKED_IP);
        const second = await postChat(blocking.app.url, S.BLOCKED_IP);
        if (first !== 200 || second !== 429) {
          throw new Error(`exhausting the blocked identity: got ${first}, ${second}`);
        }
        const chat = (c: Ctx) => `${c.app.url}/api/chat/message`;
        const admitted = (ctx: Ctx, label: string) => ({
          label: `${kind} admitted, limits ${label}`,
          url: chat(ctx),
          method: "POST" as const,
          request: admittedRequest(S.ADMITTED_IP),
        });
        const results = await interleave([
          {
            key: "health",
            ctx: blocking,
            spec: { label: `${kind} health`, url: `${blocking.app.url}/api/health` },
          },
          {
            key: "refused",
            ctx: blocking,
            spec: {
              label: `${kind} refused (429)`,
              url: chat(blocking),
              method: "POST",
              // A fixed request like health's, so the load generator (sharing the 2 cores) does no more work per
              // request than for health; the body is never read on a refusal anyway.
              fixed: {
                headers: { ...S.JSON_HEADERS, "x-forwarded-for": S.BLOCKED_IP },
                body: chatBody("blocked"),
              },
            },
          },
          { key: "admittedOn", ctx: limitsOn, spec: admitted(limitsOn, "ON") },
          { key: "admittedOff", ctx: limitsOff, spec: admitted(limitsOff, "OFF") },
        ]);
        const get = (key: "health" | "refused" | "admittedOn" | "admittedOff") => {
          const r = results.get(key);
          if (!r) throw new Error(`no result for ${key}`);
          return r;
        };
        const names = ["health/refused server", "limits-ON server", "limits-OFF server"];
        const storeFailures = servers.flatMap((c, i) =>
          (c.app.output().match(/\[store\][^\n]*/g) ?? []).map((line) => `${names[i]}: ${line}`),
        );
        return {
          store: kind,
          health: get("health"),
          refused: get("refused"),
          admittedOn: get("admittedOn"),
          admittedOff: get("admittedOff"),
          storeFailures,
        };
      }),
    ),
  );
}

/** min–max over rounds of a's slice rate over b's slice rate in the same round. */
function range(a: Measured, b: Measured): string {
  const ratios = a.sliceRps.map((r, i) => r / (b.sliceRps[i] ?? Number.NaN)).filter(Number.isFinite);
  if (ratios.length < 2) return "n/a";
  return `${f2(Math.min(...ratios))}–${f2(Math.max(...ratios))}`;
}

function storeTable(s: StoreResults): string[] {
  const withRedis = s.store === "redis";
  const rows: [string, Measured][] = [
    ["health: `GET /api/health`", s.health],
    ["refused: `POST /api/chat/message`, identity already blocked → 429", s.refused],
    ["admitted: `POST /api/chat/message`, limits ON", s.admittedOn],
    ["admitted: `POST /api/chat/message`, limits OFF", s.admittedOff],
  ];
  const lines = withRedis
    ? ["| Scenario | req/s | p50 ms | p99 ms | responses | Redis commands / request | other load |"]
    : ["| Scenario | req/s | p50 ms | p99 ms | responses | other load |"];
  lines.push(`| --- | ---: | ---: | ---: | --- |${withRedis ? " --- |" : ""} ---: |`);
  for (const [name, r] of rows) {
    const cells = [name, f0(r.rps), f2(r.p50), f2(r.p99), statuses(r)];
    if (withRedis) cells.push(redisCell(r.redisPerRequest));
    cells.push(pct(r.foreignCpu));
    lines.push(`| ${cells.join(" | ")} |`);
  }
  const ratio = s.refused.rps / s.health.rps;
  const onOff = s.admittedOn.rps / s.admittedOff.rps;
  const { admittedOn: on, admittedOff: off } = s;
  lines.push(
    "",
    `- refused/health = ${f2(ratio)} (req/s of the 429 path over health; per round ${range(s.refused, s.health)}; ` +
      `target ≥ 0.9: ${verdict(ratio >= 0.9)})`,
    `- admitted ON/OFF = ${f2(onOff)} req/s (per round ${range(on, off)}); p50 ${f2(on.p50)} vs ${f2(off.p50)} ms ` +
      `(${on.p50 >= off.p50 ? "+" : ""}${f2(on.p50 - off.p50)} ms), p99 ${f2(on.p99)} vs ${f2(off.p99)} ms`,
  );
  if (s.storeFailures.length) {
    lines.push(
      "- **Store failures logged** (a store timeout opens the app's store circuit; the numbers above are suspect): " +
        s.storeFailures.map((l) => `\`${l}\``).join("; "),
    );
  }
  return lines;
}

export const throughput: Scenario<ThroughputResult> = {
  name: "throughput",
  title: "health, refused and admitted chat requests under load",
  about: `\`throughput\` — autocannon 8, keep-alive, 50 connections; per store (in-memory, then Redis) three servers
  run side by side and four request kinds are interleaved: after a 3 s warm-up each, 5 rounds in which every kind
  gets a 2 s slice, so background load hits them alike.
  - health: \`GET /api/health\` — the cheapest route (with Redis it PINGs the store).
  - refused: \`POST /api/chat/message\` from one \`x-forwarded-for\` identity that was blocked first (all three
    layers at 1 per hour-long window, so a refusal refunds nothing and no window rolls over mid-run): the 429 path.
    Target refused/health ≥ 0.9.
  - admitted: \`POST /api/chat/message\`, a new conversation each, stream read to the end: limits ON (all three
    layers at 10⁹, so every request pays the limiter but none is refused) vs OFF (all three 0); concurrency cap and
    credits off in both.`,
  needsRedis: true,
  async run() {
    const memory = await benchStore("memory", null);
    const redis = await startBenchRedis(S.ROOT);
    try {
      const settings = {
        durationS: S.DURATION_S,
        rounds: S.ROUNDS,
        warmupS: S.WARMUP_S,
        connections: S.CONNECTIONS,
      };
      return { settings, stores: [memory, await benchStore("redis", redis)] };
    } finally {
      await redis.stop();
    }
  },
  render(r) {
    const { settings: s } = r;
    const lines = [
      `${s.connections} connections, ${s.durationS} s per measured kind (${s.rounds} interleaved slices) after ` +
        `${s.warmupS} s warm-up.`,
      "",
    ];
    for (const store of r.stores) {
      const heading =
        store.store === "memory" ? "#### In-memory store" : "#### Redis store (REST endpoint → redis-server)";
      lines.push(heading, "", ...storeTable(store), "");
    }
    return lines.slice(0, -1);
  },
};
