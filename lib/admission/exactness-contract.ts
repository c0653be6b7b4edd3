// "5 per minute" means at most 5 in any minute: arrival patterns against every layer, on both backends.
import { describe, expect, it } from "vitest";
import { newId } from "@/test/support/chat-body";
import { type ChatLayers, checksFor, type LayerName } from "../ratelimit/layers";
import { refusalError } from "./refusals";
import type { AdmissionBackend, AdmissionRequest, AdmissionResult, PlanLimits } from "./types";

const layers: ChatLayers = {
  userMinute: { name: "min", scope: "user", windowSeconds: 60, planField: "perMinute" },
  userHour: { name: "hour", scope: "user", windowSeconds: 3600, planField: "perHour" },
  ipMinute: { name: "ip-min", scope: "ip", windowSeconds: 60, fixedLimit: 7 },
};
const OFF: PlanLimits = { perMinute: 0, perHour: 0, concurrentStreams: 0, dailyTokens: 0 };
/** Not on a round minute or hour: fixed windows would have an edge to exploit somewhere in each run. */
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1_234;

/** One layer under test, the others off (or never binding): its limit, its window, who sends. */
interface Case {
  name: LayerName;
  limit: number;
  windowMs: number;
  plan: PlanLimits;
  /** The sender of the i-th request: one user, or many users behind one address for the per-IP layer. */
  sender: (run: string, i: number) => { user: string; ip: string };
}

const CASES: Case[] = [
  {
    name: "min",
    limit: 3,
    windowMs: 60_000,
    plan: { ...OFF, perMinute: 3 },
    sender: (run) => ({ user: run, ip: `ip-${run}` }),
  },
  {
    name: "hour",
    limit: 10,
    windowMs: 3_600_000,
    plan: { ...OFF, perHour: 10 },
    // A new address each time: the per-IP minute (7) must not bind first.
    sender: (run, i) => ({ user: run, ip: `ip-${run}-${i}` }),
  },
  {
    name: "ip-min",
    limit: 7,
    windowMs: 60_000,
    plan: OFF,
    sender: (run, i) => ({ user: `${run}-${i % 5}`, ip: `ip-${run}` }),
  },
];

/** A small deterministic generator (mulberry32): the same offsets on every run and both backends. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The most admissions any interval of `windowMs` holds (half-open, as the layers count). */
function mostInAnyWindow(admittedAt: number[], windowMs: number): number {
  const times = [...admittedAt].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** Retry-After as the route answers it: whole seconds until the refusing layer frees, rounded up. */
function retryAfterSeconds(result: AdmissionResult & { admitted: false }, now: number): number {
  const error = refusalError(result.refusals, { layers: result.layers, plan: "free", paywallUrl: null, now });
  return Number(error.headers["Retry-After"]);
}

export function defineExactnessContract(name: string, backend: () => AdmissionBackend): void {
  describe(`exact sliding limits (${name})`, () => {
    for (const c of CASES) {
      const run = () => {
        const id = newId("run");
        let i = 0;
        const admittedAt: number[] = [];
        const send = async (now: number) => {
          const { user, ip } = c.sender(id, i++);
          const limitKey = `user:${user}`;
          const request: AdmissionRequest = {
            now,
            limitKey,
            checks: checksFor(layers, { limitKey, verified: true, clientIp: ip }),
            plans: { free: c.plan },
            defaultPlan: "free",
            readsStoredPlan: false,
            models: [{ key: "default", plans: null }],
            model: null,
            owner: limitKey,
            conversationId: newId("c"),
            intent: "send",
            messageId: newId("m"),
            messageBytes: 10,
            blockTargets: [limitKey],
            abuse: null,
            leaseId: newId("l"),
            maxOutputTokens: 100,
          };
          const result = await backend().admit(request);
          if (result.admitted) admittedAt.push(now);
          else
            expect(result.refusals.map((r) => r.reason === "rate" && r.state.layer.name)).toEqual([c.name]);
          return result;
        };
        return { send, admittedAt };
      };

      it(`${c.name}: bursts at random offsets never get more than ${c.limit} in any window`, async () => {
        const { send, admittedAt } = run();
        const next = random(c.limit);
        let now = T0;
        for (let burst = 0; burst < 12; burst++) {
          now += Math.floor(next() * c.windowMs * 0.7);
          for (let k = 0; k < c.limit + 2; k++) await send(now + k);
        }
        expect(mostInAnyWindow(admittedAt, c.windowMs)).toBe(c.limit);
        expect(admittedAt.length).toBeGreaterThan(2 * c.limit); // the log freed as time went on
      });

      it(`${c.name}: a burst just before and just after a clock edge gets ${c.limit}, not twice that`, async () => {
        const { send, admittedAt } = run();
        const edge = (Math.floor(T0 / c.windowMs) + 1) * c.windowMs; // where a fixed window would end
        for (let k = 0; k < c.limit; k++) await send(edge - 300 + k);
        for (let k = 0; k < c.limit; k++) await send(edge + 300 + k);
        expect(admittedAt).toHaveLength(c.limit);
      });

      it(`${c.name}: a steady drip faster than the limit gets exactly ${c.limit} per window`, async () => {
        const { send, admittedAt } = run();
        const step = Math.floor(c.windowMs / (2.5 * c.limit));
        for (let k = 0; k < 10 * c.limit; k++) await send(T0 + k * step);
        expect(mostInAnyWindow(admittedAt, c.windowMs)).toBe(c.limit);
      });

      it(`${c.name}: waiting exactly Retry-After is always admitted, one second less always refused`, async () => {
        const { send, admittedAt } = run();
        const next = random(100 + c.limit);
        let now = T0;
        let retries = 0;
        while (retries < 2 * c.limit) {
          const result = await send(now);
          if (result.admitted) {
            now += Math.floor(next() * 1_500); // keep sending at a human pace until refused
            continue;
          }
          const wait = retryAfterSeconds(result, now);
          expect(wait).toBeGreaterThanOrEqual(1);
          if (wait > 1) expect((await send(now + (wait - 1) * 1000)).admitted).toBe(false);
          now += wait * 1000;
          expect((await send(now)).admitted, `retry ${retries} after ${wait}s`).toBe(true);
          retries += 1;
          now += Math.floor(next() * 200);
        }
        expect(mostInAnyWindow(admittedAt, c.windowMs)).toBe(c.limit);
      });
    }

    it("a limit lowered below what the log holds refuses until enough have left, and says when", async () => {
      const limitKey = `user:${newId("u")}`;
      const base = {
        limitKey,
        checks: checksFor(layers, { limitKey, verified: true, clientIp: newId("ip") }),
        defaultPlan: "free",
        models: [{ key: "default", plans: null }],
        model: null,
        readsStoredPlan: false,
        owner: limitKey,
        intent: "send" as const,
        messageBytes: 10,
        blockTargets: [limitKey],
        abuse: null,
        maxOutputTokens: 100,
      };
      const send = (now: number, perMinute: number) =>
        backend().admit({
          ...base,
          now,
          plans: { free: { ...OFF, perMinute } },
          conversationId: newId("c"),
          messageId: newId("m"),
          leaseId: newId("l"),
        });
      for (let k = 0; k < 5; k++) expect((await send(T0 + k * 1_000, 5)).admitted).toBe(true);
      // Now 2 a minute: only 1 may be counted for another to pass, so 4 of the 5 must leave first — the
      // fourth, sent at T0 + 3 s, leaves at T0 + 63 s.
      const refused = await send(T0 + 10_000, 2);
      if (refused.admitted) throw new Error("admitted");
      expect(refused.layers[0]?.resetAt).toBe(T0 + 63_000);
      expect(retryAfterSeconds(refused, T0 + 10_000)).toBe(53);
      expect((await send(T0 + 62_999, 2)).admitted).toBe(false);
      expect((await send(T0 + 63_000, 2)).admitted).toBe(true);
    });
  });
}
