// The route-level suite for models (CHAT_MODELS): choosing one, plan gating, per-model limits, capacity, GET /api/models.
import { describe, expect, it } from "vitest";
import { GET as limitsGet } from "@/app/api/limits/route";
import { GET as modelsGet } from "@/app/api/models/route";
import { services } from "@/lib/services";
import type { ModelList } from "@/lib/wire/types";
import { type Caller, newId, requestFor, sendChat, userKeyOf, userToken, waitFor } from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

const CHAT_MODELS = JSON.stringify({
  fast: { label: "Fast", model: "fast-model", perMinute: 2 },
  smart: {
    label: "Smart",
    model: "smart-model",
    plans: ["pro"],
    capacity: { requestsPerMinute: 3 },
  },
  bulk: { label: "Bulk", model: "bulk-model", capacity: { tokensPerMinute: 20_000 } },
});

export function defineModelsRouteSuite(backend: SuiteBackend): void {
  describe(`models (${backend.name})`, () => {
    const configure = useSuiteApp(backend, { CHAT_MODELS });

    const proUser = async (subject: string): Promise<Caller> => {
      const caller = { bearer: await userToken(subject) };
      const { body } = await sendChat(caller, newId()); // the first message creates the user's key
      expect(body).toBeNull();
      const userId = userKeyOf(subject).replace(/^user:/, "");
      const eventId = newId("evt");
      await services().planStore.applySubscription(eventId, newId("sub"), "", {
        user: userId,
        active: true,
        ended: false,
        status: "active",
        order: { created: 1, rank: 3, eventId },
      });
      return caller;
    };
    const minuteLeft = async (caller: Caller) =>
      (await (await limitsGet(requestFor("/api/limits", caller))).json()).layers[0].remaining;

    it("answers with the plan's first model, names it in the demo reply, and lists the models", async () => {
      const caller = { bearer: await userToken(`models-${newId()}`) };
      const { status, text } = await sendChat(caller, newId(), "which model?");
      expect(status).toBe(200);
      expect(text).toContain("answering as **Fast (fast-model)**");
      const list = (await (await modelsGet(requestFor("/api/models", caller))).json()) as ModelList;
      expect(list.default).toBe("fast");
      expect(list.models.map((m) => [m.key, m.label, m.available, m.plans])).toEqual([
        ["fast", "Fast", true, ["guest", "free", "pro"]],
        ["smart", "Smart", false, ["pro"]],
        ["bulk", "Bulk", true, ["guest", "free", "pro"]],
      ]);
      // What is left of the model's own layer, read without spending.
      expect(list.models[0]?.layers).toEqual([
        expect.objectContaining({ name: "model-min", scope: "user", limit: 2, remaining: 1 }),
      ]);
      expect(list.models[1]?.limits).toMatchObject({ requests_per_minute: 3, per_minute: 0 });
    });

    it("GET /api/limits?model= reads the chosen model's own layers (the composer's hint), 400 for an unknown one", async () => {
      const caller = { bearer: await userToken(`limits-model-${newId()}`) };
      const names = async (query: string) => {
        const response = await limitsGet(requestFor(`/api/limits${query}`, caller));
        return { status: response.status, body: await response.json() };
      };
      expect((await sendChat(caller, newId(), "hi", { model: "fast" })).status).toBe(200);
      const fast = await names("?model=fast");
      expect(fast.status).toBe(200);
      expect(fast.body.layers).toContainEqual(
        expect.objectContaining({ name: "model-min", limit: 2, remaining: 1 }),
      );
      // Bulk's capacity is app-wide tokens; fast's per-user layer is not among its layers.
      const bulk = await names("?model=bulk");
      expect(bulk.body.layers.map((layer: { name: string }) => layer.name)).toContain("model-tpm");
      expect(bulk.body.layers.map((layer: { name: string }) => layer.name)).not.toContain("model-min");
      // Without a model: the plan's default (fast), as before.
      expect((await names("")).body.layers).toContainEqual(
        expect.objectContaining({ name: "model-min", remaining: 1 }),
      );
      const unknown = await names("?model=gpt-9");
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ error: "bad_request", models: ["fast", "smart", "bulk"] });
    });

    it("an unknown model is 400 and a model outside the plan 403 model_not_in_plan; neither spends anything", async () => {
      const caller = { bearer: await userToken(`gate-${newId()}`) };
      const unknown = await sendChat(caller, newId(), "hi", { model: "gpt-9" });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ error: "bad_request", models: ["fast", "smart", "bulk"] });
      const gated = await sendChat(caller, newId(), "hi", { model: "smart" });
      expect(gated.status).toBe(403);
      expect(gated.body).toMatchObject({
        error: "model_not_in_plan",
        model: "smart",
        plans: ["pro"],
        plan: "free",
      });
      for (let i = 0; i < 6; i++)
        expect((await sendChat(caller, newId(), "hi", { model: "smart" })).status).toBe(403);
      expect(await minuteLeft(caller)).toBe(5);
      expect((await sendChat(caller, newId(), "hi", { model: "fast" })).status).toBe(200);
    });

    it("a model's per-user limit is its own: 429 on that model, the other still answers", async () => {
      const caller = await proUser(`per-model-${newId()}`); // one fast message sent
      expect((await sendChat(caller, newId(), "two", { model: "fast" })).status).toBe(200);
      const refused = await sendChat(caller, newId(), "three", { model: "fast" });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ scope: "user", layer: "model-min", limit: 2 });
      expect(refused.response.headers.get("retry-after")).toBe(String(refused.body?.retry_after_seconds));
      const smart = await sendChat(caller, newId(), "smart one", { model: "smart" });
      expect(smart.status).toBe(200);
      expect(smart.text).toContain("answering as **Smart (smart-model)**");
    });

    it("capacity is app-wide: past requestsPerMinute every caller gets the 'busy' 429 with an exact wait", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "50" });
      const callers = [await proUser(`cap-a-${newId()}`), await proUser(`cap-b-${newId()}`)];
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          sendChat(callers[i % 2] as Caller, newId(), "hi", { model: "smart" }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
      const busy = answers.find((a) => a.status === 429);
      expect(busy?.body).toMatchObject({ scope: "model", layer: "model-rpm", limit: 3 });
      expect(String(busy?.body?.message)).toMatch(/^The assistant is busy right now — please wait ~\d+s\.$/);
      expect(busy?.response.headers.get("retry-after")).toBe(String(busy?.body?.retry_after_seconds));
      // The other model is not full.
      expect((await sendChat(callers[0] as Caller, newId(), "hi", { model: "fast" })).status).toBe(200);
    });

    it("tokensPerMinute: a reply reserves its upper bound, and settles to the tokens it really used", async () => {
      configure({ CHAT_MAX_OUTPUT_TOKENS: "4000" });
      const caller = { bearer: await userToken(`tpm-${newId()}`) };
      const tpmLeft = async () => {
        const list = (await (await modelsGet(requestFor("/api/models", caller))).json()) as ModelList;
        return list.models.find((m) => m.key === "bulk")?.layers.find((l) => l.name === "model-tpm")
          ?.remaining;
      };
      expect(await tpmLeft()).toBe(20_000);
      const { status, text } = await sendChat(caller, newId(), "a short question", { model: "bulk" });
      expect(status).toBe(200);
      expect(text).toContain("answering as **Bulk (bulk-model)**");
      // Settled after the stream: far less than the 4,000-token cap stays counted.
      const left = await waitFor(async () => {
        const value = await tpmLeft();
        return value !== undefined && value > 20_000 - 4_000 ? value : undefined;
      });
      expect(left).toBeLessThan(20_000);
    });
  });
}
