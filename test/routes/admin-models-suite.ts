// The console's per-model figures (GET /api/admin/stats): each model's traffic and its capacity use now.
import { describe, expect, it, vi } from "vitest";
import { GET as modelsGet } from "@/app/api/models/route";
import type { AdminCapacityUse, AdminStats } from "@/lib/wire/admin";
import type { ModelList } from "@/lib/wire/types";
import { ADMIN_ENV, adminJson } from "../support/admin";
import { type Caller, newId, requestFor, sendChat, userToken } from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

const CHAT_MODELS = JSON.stringify({
  fast: { label: "Fast", model: "fast-1", capacity: { requestsPerMinute: 4, tokensPerMinute: 30_000 } },
  deep: { label: "Deep", model: "deep-1", capacity: { requestsPerMinute: 2 } },
  plain: { label: "Plain", model: "plain-1" },
});

const stats = () => adminJson<AdminStats>("GET", "/api/admin/stats?minutes=2");

/** Each model's capacity layers as `[layer, limit, used]`, by key. */
const capacityOf = (answer: AdminStats) =>
  Object.fromEntries(
    answer.models.map((m) => [m.key, m.capacity.map((c) => [c.layer, c.limit, c.used] as const)]),
  );

const layerOf = (answer: AdminStats, key: string, layer: AdminCapacityUse["layer"]) =>
  answer.models.find((m) => m.key === key)?.capacity.find((c) => c.layer === layer);

export function defineAdminModelsSuite(backend: SuiteBackend): void {
  describe(`operator console: per-model figures (${backend.name})`, () => {
    // The person's own limits stay far away: only the models' capacity refuses here.
    useSuiteApp(backend, {
      ...ADMIN_ENV,
      CHAT_MODELS,
      RATE_LIMIT_CHAT_PER_MIN: "50",
      CHAT_MAX_OUTPUT_TOKENS: "2000",
    });

    it("lists every model with its label, and a model with a capacity with each layer empty at first", async () => {
      const askedAt = Date.now();
      const first = await stats();
      expect(first.models.map((m) => [m.key, m.label])).toEqual([
        ["fast", "Fast"],
        ["deep", "Deep"],
        ["plain", "Plain"],
      ]);
      expect(capacityOf(first)).toEqual({
        fast: [
          ["model-rpm", 4, 0],
          ["model-tpm", 30_000, 0],
        ],
        deep: [["model-rpm", 2, 0]],
        plain: [],
      });
      // Nothing counted, nothing to free: the layer's room is whole at the moment of reading.
      const rpm = layerOf(first, "fast", "model-rpm");
      expect(rpm?.window_seconds).toBe(60);
      expect(Date.parse(rpm?.resets_at ?? "")).toBeGreaterThanOrEqual(askedAt);
      expect(Date.parse(rpm?.resets_at ?? "")).toBeLessThanOrEqual(Date.now());
    });

    it("counts what was admitted, by every caller together, and reading it spends nothing", async () => {
      const alice: Caller = { bearer: await userToken(`cap-alice-${newId()}`), ip: "198.51.100.70" };
      const bob: Caller = { bearer: await userToken(`cap-bob-${newId()}`), ip: "198.51.100.71" };
      const sentAt = Date.now();
      expect((await sendChat(alice, newId(), "one", { model: "fast" })).status).toBe(200);
      expect((await sendChat(bob, newId(), "two", { model: "fast" })).status).toBe(200);
      expect((await sendChat(alice, newId(), "three", { model: "deep" })).status).toBe(200);

      // Tokens: each reply reserves at least its 2,000-token cap, and settles to what it used once its stream
      // ended (just after the answer): under 2,000 in all means both have settled.
      let after = await stats();
      await vi.waitFor(
        async () => {
          after = await stats();
          expect(layerOf(after, "fast", "model-tpm")?.used).toBeLessThan(2_000);
        },
        { timeout: 5_000, interval: 50 },
      );
      expect(layerOf(after, "fast", "model-rpm")?.used).toBe(2);
      expect(layerOf(after, "deep", "model-rpm")?.used).toBe(1);
      // The window frees its first message a minute after it was admitted.
      const freesAt = Date.parse(layerOf(after, "fast", "model-rpm")?.resets_at ?? "");
      expect(freesAt).toBeGreaterThanOrEqual(sentAt + 60_000);
      expect(freesAt).toBeLessThanOrEqual(Date.now() + 60_000);
      const tokens = layerOf(after, "fast", "model-tpm")?.used ?? 0;
      expect(tokens).toBeGreaterThan(0);
      // The same truth a caller reads for the model: GET /api/models's layer (limit - remaining).
      const list = (await (await modelsGet(requestFor("/api/models", alice))).json()) as ModelList;
      const seen = list.models.find((m) => m.key === "fast")?.layers.find((l) => l.name === "model-tpm");
      expect(seen && seen.limit - seen.remaining).toBe(tokens);

      // Forty reads later nothing moved...
      for (let i = 0; i < 40; i++) {
        expect(capacityOf(await stats())).toEqual(capacityOf(after));
      }
      // ...and the models still have exactly the room the reads reported: two more for fast, one for deep.
      expect((await sendChat(bob, newId(), "four", { model: "fast" })).status).toBe(200);
      expect((await sendChat(alice, newId(), "five", { model: "fast" })).status).toBe(200);
      expect((await sendChat(bob, newId(), "six", { model: "deep" })).status).toBe(200);
      const full = await sendChat(bob, newId(), "seven", { model: "fast" });
      expect(full.status).toBe(429);
      expect(full.body).toMatchObject({ scope: "model", layer: "model-rpm", limit: 4 });
      const refusedDeep = await sendChat(alice, newId(), "eight", { model: "deep" });
      expect(refusedDeep.body).toMatchObject({ scope: "model", layer: "model-rpm", limit: 2 });

      const atCapacity = await stats();
      expect(layerOf(atCapacity, "fast", "model-rpm")?.used).toBe(4);
      expect(layerOf(atCapacity, "deep", "model-rpm")?.used).toBe(2);
      // This minute's traffic per model says the same.
      const minute = atCapacity.minutes.at(-1);
      expect(minute?.models.fast).toMatchObject({ admitted: 4, refused: 1, provider_busy: 0 });
      expect(minute?.models.deep).toMatchObject({ admitted: 2, refused: 1, provider_busy: 0 });
      expect(minute?.models.plain).toEqual({ admitted: 0, refused: 0, provider_busy: 0 });

      // A minute after the first messages the window has let them go (a sliding window, not a reset).
      vi.setSystemTime(Date.now() + 61_000);
      expect(capacityOf(await stats())).toEqual({
        fast: [
          ["model-rpm", 4, 0],
          ["model-tpm", 30_000, 0],
        ],
        deep: [["model-rpm", 2, 0]],
        plain: [],
      });
    });
  });
}
