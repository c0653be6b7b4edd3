// The route suite for the provider's own 429 before the first token: "busy" for everyone, nothing spent, then answered again.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as limitsGet } from "@/app/api/limits/route";
import { GET as usageGet } from "@/app/api/usage/route";
import type { AdminStats } from "@/lib/wire/admin";
import { ADMIN_ENV, adminJson } from "../support/admin";
import { type Caller, getConversation, newId, requestFor, sendChat, userToken } from "../support/app";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai";
import { type SuiteBackend, useSuiteApp } from "./suite";

const CHAT_MODELS = JSON.stringify({ fast: { label: "Fast", model: "fast-model" } });
const BUDGET = 50_000;

export function defineProviderBusyRouteSuite(backend: SuiteBackend): void {
  describe(`provider busy (${backend.name})`, () => {
    let fake: FakeOpenAI;
    beforeAll(async () => {
      fake = await startFakeOpenAI({ reply: "Hello from the provider." });
    });
    afterAll(() => fake.close());
    const configure = useSuiteApp(backend, {
      ...ADMIN_ENV,
      CHAT_MODELS,
      CHAT_DAILY_TOKEN_BUDGET: String(BUDGET),
    });
    /** This app on the fake provider: a fresh process state (on Redis, a new instance sharing the store). */
    const instance = () => configure({ OPENAI_BASE_URL: fake.baseURL });
    const completions = () => fake.requests.filter((r) => r.body?.stream === true).length;

    const nothingSpent = async (caller: Caller) => {
      const limits = await (await limitsGet(requestFor("/api/limits", caller))).json();
      expect(limits.layers.find((l: { name: string }) => l.name === "min")).toMatchObject({
        limit: 5,
        remaining: 5,
      });
      const usage = await (await usageGet(requestFor("/api/usage", caller))).json();
      expect(usage).toMatchObject({ used: 0, remaining: BUDGET, budget: BUDGET });
    };

    it("a provider 429 before the first word: 'busy' with its wait, nothing counted, and every instance waits", async () => {
      instance();
      fake.set({ status: 429, errorHeaders: { "retry-after": "7" }, reply: "Hello from the provider." });
      const first = { bearer: await userToken(`busy-a-${newId()}`) };
      const id = newId();
      const before = completions();
      const asked = fake.requests.length;
      const busy = await sendChat(first, id, "hello?");
      expect(busy.status).toBe(429);
      expect(busy.body).toMatchObject({
        error: "rate_limited",
        scope: "model",
        layer: "model-busy",
        retry_after_seconds: 7,
        message: "The assistant is busy right now — please wait ~7s.",
      });
      expect(busy.response.headers.get("retry-after")).toBe("7");
      // Asked once: not retried into (the SDK would wait out its 7 s and ask again), nor asked for a title.
      expect(completions()).toBe(before + 1);
      expect(fake.requests.length).toBe(asked + 1);
      await nothingSpent(first);

      // Another instance (on Redis; the same one in memory) never calls the provider until the wait is over.
      if (backend.name === "redis") instance();
      const second = { bearer: await userToken(`busy-b-${newId()}`) };
      const calls = fake.requests.length;
      vi.setSystemTime(Date.now() + 2_000);
      const refused = await sendChat(second, newId(), "me too?");
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ scope: "model", layer: "model-busy", limit: 0 });
      const wait = Number(refused.response.headers.get("retry-after"));
      expect(wait).toBe(refused.body?.retry_after_seconds);
      expect(wait).toBeGreaterThanOrEqual(4);
      expect(wait).toBeLessThanOrEqual(5);
      expect(fake.requests.length).toBe(calls);
      await nothingSpent(second);

      // Once the wait is over the model answers; the first message may be sent again (not a duplicate).
      fake.set({ status: undefined });
      vi.setSystemTime(Date.now() + 5_001);
      const again = await sendChat(first, id, "hello?");
      expect(again.status).toBe(200);
      expect(again.text).toBe("Hello from the provider.");
      expect(completions()).toBe(before + 2);

      // The operator sees it per model: 2 let through (one the provider refused), 1 refused as busy.
      const stats = await adminJson<AdminStats>("GET", "/api/admin/stats?minutes=1");
      expect(stats.minutes[0]).toMatchObject({
        admitted: 2,
        refused: { model: 1, user: 0 },
        models: { fast: { admitted: 2, refused: 1, provider_busy: 1 } },
      });
    });

    it("retry-after-ms is read to the millisecond; without a hint the model is busy for 10 s", async () => {
      instance();
      const caller = { bearer: await userToken(`busy-ms-${newId()}`) };
      fake.set({ status: 429, errorHeaders: { "retry-after-ms": "2500" } });
      const hinted = await sendChat(caller, newId(), "hi");
      expect(hinted.body).toMatchObject({ scope: "model", layer: "model-busy", retry_after_seconds: 3 });
      vi.setSystemTime(Date.now() + 2_600);
      fake.set({ status: 503, errorHeaders: {} }); // overloaded, no hint
      const unhinted = await sendChat(caller, newId(), "hi");
      expect(unhinted.status).toBe(429);
      expect(unhinted.body).toMatchObject({ scope: "model", layer: "model-busy", retry_after_seconds: 10 });
      await nothingSpent(caller);
      fake.set({ status: undefined });
    });

    it("a provider failure after the first words keeps the partial reply and trips nothing", async () => {
      instance();
      const caller = { bearer: await userToken(`busy-drop-${newId()}`) };
      fake.set({ status: undefined, reply: "one two three four five", dropAfterChunks: 2 });
      const id = newId();
      const cut = await sendChat(caller, id, "count");
      expect(cut.status).toBe(200);
      expect(cut.text).toBe("one two ");
      const stored = await vi.waitFor(async () => {
        const { body } = await getConversation(caller, id);
        expect(body.messages).toHaveLength(2);
        return body;
      });
      expect(stored.messages[1].metadata).toMatchObject({ incomplete: true });
      fake.set({ dropAfterChunks: undefined });
      const next = await sendChat(caller, newId(), "again");
      expect(next.status).toBe(200);
      expect(next.text).toBe("one two three four five");
    });
  });
}
