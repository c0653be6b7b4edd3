// Models in the admission step (issue #22): plan gating, per-model user limits and app-wide capacity, on both backends.
import { describe, expect, it } from "vitest";
import { newId } from "@/test/support/chat-body";
import type { ModelRow } from "../models/table";
import { type ChatLayers, checksFor } from "../ratelimit/layers";
import { SYSTEM_PROMPT_BYTES } from "./budget";
import { refusalError } from "./refusals";
import type { AdmissionBackend, AdmissionRequest, AdmissionResult, PlanLimits, Settlement } from "./types";

const row = (key: string, over: Partial<ModelRow> = {}): ModelRow => ({
  key,
  label: key,
  model: `${key}-model`,
  plans: null,
  perMinute: 0,
  perHour: 0,
  tokenCost: 1,
  capacity: { requestsPerMinute: 0, tokensPerMinute: 0 },
  ...over,
});
const MODELS = [
  row("fast", { plans: ["free", "pro"], perMinute: 2 }),
  row("smart", { plans: ["pro"], capacity: { requestsPerMinute: 3, tokensPerMinute: 0 } }),
  row("bulk", { capacity: { requestsPerMinute: 0, tokensPerMinute: 1_000 } }),
  row("premium", { tokenCost: 5 }),
  // Only the breaker test uses it: its breaker holds for every request that model answers.
  row("flaky", { perMinute: 5, capacity: { requestsPerMinute: 10, tokensPerMinute: 5_000 } }),
];
const layers: ChatLayers = {
  userMinute: { name: "min", scope: "user", windowSeconds: 60, planField: "perMinute" },
  userHour: { name: "hour", scope: "user", windowSeconds: 3600, planField: "perHour" },
  ipMinute: { name: "ip-min", scope: "ip", windowSeconds: 60, fixedLimit: 1000 },
  models: MODELS,
};
const PLAN: PlanLimits = { perMinute: 10, perHour: 100, concurrentStreams: 0, dailyTokens: 0 };
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 4_321;

function request(plan: "free" | "pro", model: string | null, over: Partial<AdmissionRequest> = {}) {
  const limitKey = `user:${newId("u")}`;
  return {
    now: T0,
    limitKey,
    checks: checksFor(layers, { limitKey, verified: true, clientIp: newId("ip") }),
    plans: { free: PLAN, pro: PLAN },
    defaultPlan: plan,
    readsStoredPlan: false,
    models: MODELS.map(({ key, plans, tokenCost }) => ({ key, plans, cost: tokenCost })),
    model,
    owner: limitKey,
    conversationId: newId("c"),
    intent: "send",
    messageId: newId("m"),
    messageBytes: 10,
    blockTargets: [limitKey],
    abuse: { afterRefusals: 1, windowSeconds: 600, blockSeconds: 600 },
    leaseId: newId("l"),
    maxOutputTokens: 100,
    ...over,
  } satisfies AdmissionRequest;
}
const again = (req: AdmissionRequest, now = req.now): AdmissionRequest => ({
  ...req,
  now,
  conversationId: newId("c"),
  messageId: newId("m"),
  leaseId: newId("l"),
});
const names = (r: AdmissionResult) => r.layers.map((l) => l.layer.name);

export function defineModelsContract(name: string, backend: () => AdmissionBackend): void {
  describe(`models in the admission step (${name})`, () => {
    it("answers with the first model the plan allows, or the one asked for, counting only its rows", async () => {
      const free = await backend().admit(request("free", null));
      expect(free).toMatchObject({ admitted: true, model: "fast" });
      expect(names(free)).toEqual(["min", "hour", "ip-min", "model-min"]);
      const pro = await backend().admit(request("pro", "smart"));
      expect(pro).toMatchObject({ admitted: true, model: "smart" });
      expect(names(pro)).toEqual(["min", "hour", "ip-min", "model-rpm"]);
    });

    it("refuses a model outside the plan with the plans that unlock it, spending nothing", async () => {
      const req = request("free", "smart");
      const refused = await backend().admit(req);
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toEqual([{ reason: "model_not_in_plan", model: "smart", plans: ["pro"] }]);
      const error = refusalError(refused.refusals, {
        layers: refused.layers,
        plan: "free",
        paywallUrl: null,
        now: T0,
      });
      expect(error.status).toBe(403);
      expect(error.details).toMatchObject({ model: "smart", plans: ["pro"] });
      // Nothing counted anywhere: not the caller's minute, not the model's capacity; no block for it either.
      const { layers: after } = await backend().peek({ ...req, model: null });
      expect(after.find((l) => l.layer.name === "min")?.remaining).toBe(10);
      const pro = request("pro", "smart");
      expect((await backend().peek(pro)).layers.find((l) => l.layer.name === "model-rpm")?.remaining).toBe(3);
      expect((await backend().admit(again(req, T0 + 1))).admitted).toBe(false);
      expect((await backend().admit(again({ ...req, model: "fast" }, T0 + 2))).admitted).toBe(true);
    });

    it("a model's per-user limit holds for that model only; the plan's layers count every model", async () => {
      const req = request("pro", "fast");
      for (let i = 0; i < 2; i++) expect((await backend().admit(again(req, T0 + i))).admitted).toBe(true);
      const refused = await backend().admit(again(req, T0 + 10));
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toMatchObject([{ reason: "rate", state: { layer: { name: "model-min" } } }]);
      expect(refused.refusals[0]).toMatchObject({ state: { resetAt: T0 + 60_000 } });
      const smart = await backend().admit(again({ ...req, model: "smart" }, T0 + 11));
      expect(smart.admitted).toBe(true);
      expect(smart.layers.find((l) => l.layer.name === "min")?.remaining).toBe(7);
    });

    it("capacity is app-wide: many callers in parallel get at most requestsPerMinute in any minute, then 'busy'", async () => {
      const callers = Array.from({ length: 8 }, (_, i) => request("pro", "smart", { now: T0 + i }));
      const first = await Promise.all(callers.map((req) => backend().admit(req)));
      expect(first.filter((r) => r.admitted)).toHaveLength(3);
      const busyAt = first.findIndex((r) => !r.admitted);
      const busy = first[busyAt];
      if (!busy || busy.admitted) throw new Error("none refused");
      expect(busy.refusals).toMatchObject([
        { reason: "rate", state: { layer: { name: "model-rpm", scope: "model" } } },
      ]);
      const error = refusalError(busy.refusals, {
        layers: busy.layers,
        plan: "pro",
        paywallUrl: null,
        now: T0 + 8,
      });
      expect(error.message).toMatch(/^The assistant is busy right now — please wait ~\d+s\.$/);
      expect(error.details).toMatchObject({ scope: "model", layer: "model-rpm", limit: 3 });
      // The first admitted (at T0 + 0..7) leaves the minute first; a second before, still busy.
      const admittedAt = first.flatMap((r, i) => (r.admitted ? [T0 + i] : []));
      const freesAt = Math.min(...admittedAt) + 60_000;
      expect((await backend().admit(request("pro", "smart", { now: freesAt - 1_000 }))).admitted).toBe(false);
      expect((await backend().admit(request("pro", "smart", { now: freesAt }))).admitted).toBe(true);
      // Busy refusals are nobody's fault: refused twice (the policy blocks after 1), the caller is not blocked.
      const caller = callers[busyAt] as AdmissionRequest;
      expect((await backend().admit(again(caller, T0 + 20))).admitted).toBe(false);
      const other = await backend().admit(again({ ...caller, model: "fast" }, T0 + 21));
      expect(other.admitted ? [] : other.refusals.map((r) => r.reason)).toEqual([]);
    });

    it("tokensPerMinute: parallel requests reserve prompt + reply cap within the quota; settling frees the rest", async () => {
      const need = Math.ceil((10 + SYSTEM_PROMPT_BYTES) / 3) + 300; // prompt estimate + the reply's cap
      const callers = Array.from({ length: 6 }, (_, i) =>
        request("free", "bulk", { now: T0 + i, maxOutputTokens: 300 }),
      );
      const results = await Promise.all(callers.map((req) => backend().admit(req)));
      const fit = Math.floor(1_000 / need);
      expect(results.filter((r) => r.admitted)).toHaveLength(fit);
      const refused = results.find((r) => !r.admitted);
      if (!refused || refused.admitted) throw new Error("none refused");
      expect(refused.refusals).toMatchObject([{ reason: "rate", state: { layer: { name: "model-tpm" } } }]);
      // A reply that used 100 tokens gives back the rest of its reservation: one more fits at once.
      const first = results.findIndex((r) => r.admitted);
      const done = results[first];
      const req = callers[first] as AdmissionRequest;
      if (!done?.admitted) throw new Error("refused");
      const settlement: Settlement = {
        limitKey: req.limitKey,
        leaseId: req.leaseId,
        leased: done.grant.leased,
        day: done.grant.day,
        tokens: 100,
        owner: req.owner,
        conversationId: req.conversationId,
        claim: done.claim,
        messages: [],
        entry: `${req.messageId}:${req.leaseId}`,
        tokenLogs: done.layers.filter((l) => l.layer.tokens),
      };
      await backend().settle(settlement, T0 + 10);
      const after = await backend().admit(request("free", "bulk", { now: T0 + 11, maxOutputTokens: 300 }));
      expect(after.admitted).toBe(true);
      const tpm = after.layers.find((l) => l.layer.name === "model-tpm");
      expect(tpm?.remaining).toBe(1_000 - 100 - need * fit);
      // Full again: the wait is until enough of the oldest leave, to the millisecond.
      const full = await backend().admit(request("free", "bulk", { now: T0 + 12, maxOutputTokens: 300 }));
      if (full.admitted) throw new Error("admitted");
      const freesAt = full.refusals[0]?.reason === "rate" ? full.refusals[0].state.resetAt : 0;
      expect(freesAt).toBeGreaterThan(T0 + 60_000);
      expect(
        (await backend().admit(request("free", "bulk", { now: freesAt - 1, maxOutputTokens: 300 }))).admitted,
      ).toBe(false);
      expect(
        (await backend().admit(request("free", "bulk", { now: freesAt, maxOutputTokens: 300 }))).admitted,
      ).toBe(true);
    });

    it("a provider's 'full' gives everything back and holds the model's breaker, never shortened", async () => {
      const req = request("free", "flaky");
      const taken = await backend().admit(req);
      if (!taken.admitted) throw new Error("refused");
      expect(names(taken)).toEqual(["min", "hour", "ip-min", "model-min", "model-rpm", "model-tpm"]);
      const breaker = req.checks.find((c) => c.layer.breaker && c.model === "flaky");
      if (!breaker) throw new Error("no breaker row");
      const settlement: Settlement = {
        limitKey: req.limitKey,
        leaseId: req.leaseId,
        leased: taken.grant.leased,
        day: taken.grant.day,
        tokens: 0,
        owner: req.owner,
        conversationId: req.conversationId,
        claim: taken.claim,
        messages: [],
        entry: `${req.messageId}:${req.leaseId}`,
        uncount: taken.layers,
        breaker: { check: breaker, until: T0 + 5_000 },
      };
      await backend().settle(settlement, T0 + 1);
      // Nothing counted: every layer as if the message had never come.
      const peek = await backend().peek({ ...req, model: "fast", now: T0 + 2 });
      expect(peek.layers.find((l) => l.layer.name === "min")?.remaining).toBe(10);
      const refused = await backend().admit(again(req, T0 + 2));
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toEqual([
        { reason: "rate", state: expect.objectContaining({ limit: 0, remaining: 0, resetAt: T0 + 5_000 }) },
      ]);
      const state = refused.refusals[0]?.reason === "rate" ? refused.refusals[0].state : undefined;
      expect(state?.layer).toMatchObject({ name: "model-busy", scope: "model" });
      expect(refused.layers.find((l) => l.layer.name === "model-tpm")?.remaining).toBe(5_000);
      expect(refused.layers.find((l) => l.layer.name === "model-rpm")?.remaining).toBe(10);
      expect(refused.layers.find((l) => l.layer.name === "model-min")?.remaining).toBe(5);
      // Other models are not held; a shorter hint from another reply does not shorten the breaker.
      expect((await backend().admit(again({ ...req, model: "fast" }, T0 + 3))).admitted).toBe(true);
      await backend().settle(
        { ...settlement, uncount: [], breaker: { check: breaker, until: T0 + 3_000 } },
        T0 + 3,
      );
      expect((await backend().admit(again(req, T0 + 4_999))).admitted).toBe(false);
      expect((await backend().admit(again(req, T0 + 5_000))).admitted).toBe(true);
    });

    it("tokenCost weighs the daily credits: the reservation and the allowance are in the model's tokens", async () => {
      const plans = { free: { ...PLAN, dailyTokens: 10_000 }, pro: PLAN };
      const req = request("free", "premium", { plans, maxOutputTokens: 1_000 });
      const prompt = Math.ceil((10 + SYSTEM_PROMPT_BYTES) / 3);
      const first = await backend().admit(req);
      if (!first.admitted) throw new Error("refused");
      expect(first.grant).toMatchObject({ cost: 5, maxOutputTokens: 1_000, reserved: (prompt + 1_000) * 5 });
      // What is left (10,000 - that) buys fewer tokens of this model: the reply's cap shrinks to fit.
      const second = await backend().admit(again(req, T0 + 1));
      if (!second.admitted) throw new Error("refused");
      const left = Math.floor((10_000 - (prompt + 1_000) * 5) / 5) - prompt;
      expect(second.grant.maxOutputTokens).toBe(Math.min(1_000, left));
      // Settled: 50 tokens of this model bill 250 credit tokens.
      const settlement: Settlement = {
        limitKey: req.limitKey,
        leaseId: req.leaseId,
        leased: first.grant.leased,
        day: first.grant.day,
        tokens: 250,
        modelTokens: 50,
        owner: req.owner,
        conversationId: req.conversationId,
        claim: first.claim,
        messages: [],
      };
      await backend().settle(settlement, T0 + 2);
      const fast = await backend().admit(again({ ...req, model: "fast" }, T0 + 3));
      if (!fast.admitted) throw new Error("refused");
      expect(fast.usedTokens).toBe(250);
      expect(fast.grant.cost).toBe(1);
    });
  });
}
