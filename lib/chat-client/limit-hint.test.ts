import { describe, expect, it } from "vitest";
import type { Limits } from "../wire/types";
import {
  forgetModelLayers,
  isCurrent,
  type LayerView,
  layersFromLimits,
  limitHint,
  observeAnswer,
  parseRateLimitHeaders,
} from "./limit-hint";

const now = Date.UTC(2026, 10, 30, 14, 0, 20);
const limits: Limits = {
  plan: "guest",
  layers: [
    {
      name: "min",
      scope: "user",
      limit: 5,
      remaining: 5,
      resets_at: "2026-11-30T14:01:00.000Z",
      window_seconds: 60,
    },
    {
      name: "hour",
      scope: "user",
      limit: 60,
      remaining: 57,
      resets_at: "2026-11-30T15:00:00.000Z",
      window_seconds: 3600,
    },
    {
      name: "ip-min",
      scope: "ip",
      limit: 30,
      remaining: 30,
      resets_at: "2026-11-30T14:01:00.000Z",
      window_seconds: 60,
    },
  ],
};

describe("parseRateLimitHeaders", () => {
  it("reads the tightest layer and the policy", () => {
    const fields = parseRateLimitHeaders(
      '"min";r=2;t=41',
      '"min";q=5;w=60, "hour";q=60;w=3600, "ip-min";q=30;w=60',
    );
    expect(fields?.name).toBe("min");
    expect(fields?.remaining).toBe(2);
    expect(fields?.resetSeconds).toBe(41);
    expect(fields?.policy.get("hour")).toEqual({ limit: 60, windowSeconds: 3600 });
  });
  it("gives null for absent, malformed or unknown fields rather than a wrong hint", () => {
    expect(parseRateLimitHeaders(null, null)).toBeNull();
    expect(parseRateLimitHeaders("limit=5, remaining=2", null)).toBeNull();
    expect(parseRateLimitHeaders('"day";r=1;t=5', null)).toBeNull();
    expect(parseRateLimitHeaders('"min";r=1', null)).toBeNull();
  });
});

describe("limitHint", () => {
  it("is quiet while plenty remain", () => {
    expect(limitHint(layersFromLimits(limits), now)).toBeNull();
  });

  it("says '2 messages left this minute' from the headers of a reply, and counts every layer once", () => {
    const fields = parseRateLimitHeaders('"min";r=2;t=40', '"min";q=5;w=60, "hour";q=60;w=3600');
    if (!fields) throw new Error("unparsed");
    const layers = observeAnswer(layersFromLimits(limits), fields, true, now);
    expect(limitHint(layers, now)?.text).toBe("2 messages left this minute");
    expect(layers.find((l) => l.name === "hour")?.remaining).toBe(56);
    expect(layers.find((l) => l.name === "ip-min")?.remaining).toBe(29);
    // One message later; then the window ends and the hint goes.
    const next = observeAnswer(layers, { ...fields, remaining: 1, resetSeconds: 30 }, true, now + 10_000);
    expect(limitHint(next, now + 10_000)?.text).toBe("1 message left this minute");
    expect(limitHint(next, now + 41_000)).toBeNull();
  });

  it("names the hour and the network, and 'No messages' at zero", () => {
    const layers: LayerView[] = [
      { name: "min", limit: 5, remaining: 2, resetsAt: now + 40_000, windowSeconds: 60 },
      { name: "hour", limit: 60, remaining: 1, resetsAt: now + 2_000_000, windowSeconds: 3600 },
    ];
    expect(limitHint(layers, now)?.text).toBe("1 message left this hour");
    const network: LayerView[] = [
      { name: "ip-min", limit: 30, remaining: 0, resetsAt: now + 5000, windowSeconds: 60 },
    ];
    expect(limitHint(network, now)).toEqual({
      text: "No messages left this minute from your network",
      layer: "ip-min",
      until: now + 5000,
    });
  });

  it("on a tie, the layer that frees later is the one named", () => {
    const layers: LayerView[] = [
      { name: "min", limit: 5, remaining: 2, resetsAt: now + 40_000, windowSeconds: 60 },
      { name: "hour", limit: 60, remaining: 2, resetsAt: now + 2_000_000, windowSeconds: 3600 },
    ];
    expect(limitHint(layers, now)?.layer).toBe("hour");
  });

  it("ignores layers that are off", () => {
    expect(
      limitHint([{ name: "min", limit: 0, remaining: 0, resetsAt: now + 1, windowSeconds: 60 }], now),
    ).toBeNull();
  });
});

describe("sliding layers", () => {
  it("hold until the next message frees; then only the server knows, so the hint steps aside and asks", () => {
    const layer: LayerView = {
      name: "min",
      limit: 5,
      remaining: 1,
      resetsAt: now + 7_000,
      windowSeconds: 60,
    };
    expect(isCurrent(layer, now + 6_999)).toBe(true);
    expect(limitHint([layer], now + 6_999)).toMatchObject({
      text: "1 message left this minute",
      until: now + 7_000,
    });
    expect(isCurrent(layer, now + 7_000)).toBe(false);
    expect(limitHint([layer], now + 7_000)).toBeNull();
  });

  it("a layer with all its messages left stays true, and its hint has no end to wait for", () => {
    const full: LayerView = { name: "min", limit: 2, remaining: 2, resetsAt: now, windowSeconds: 60 };
    expect(isCurrent(full, now + 3_600_000)).toBe(true);
    expect(limitHint([full], now + 5)).toEqual({
      text: "2 messages left this minute",
      layer: "min",
      until: null,
    });
  });

  it("an admitted message in a layer that counted nothing frees a window later", () => {
    const fields = parseRateLimitHeaders('"min";r=4;t=60', '"min";q=5;w=60, "hour";q=60;w=3600');
    if (!fields) throw new Error("unparsed");
    const fresh: LayerView[] = [
      { name: "min", limit: 5, remaining: 5, resetsAt: now, windowSeconds: 60 },
      { name: "hour", limit: 60, remaining: 60, resetsAt: now, windowSeconds: 3600 },
    ];
    const hour = observeAnswer(fresh, fields, true, now + 1_000).find((l) => l.name === "hour");
    expect(hour).toMatchObject({ remaining: 59, resetsAt: now + 1_000 + 3_600_000 });
  });
});

describe("a model's layers", () => {
  const modelLayer = (name: "model-min" | "model-hour" | "model-rpm" | "model-tpm", remaining: number) => ({
    name,
    scope: name === "model-rpm" || name === "model-tpm" ? ("model" as const) : ("user" as const),
    limit: name === "model-tpm" ? 400_000 : 3,
    remaining,
    resets_at: "2026-11-30T14:00:50.000Z",
    window_seconds: name === "model-hour" ? 3600 : 60,
  });
  it("hints at the chosen model's own limits, read from GET /api/limits?model=", () => {
    const layers = layersFromLimits({ plan: "free", layers: [...limits.layers, modelLayer("model-min", 1)] });
    expect(limitHint(layers, now)?.text).toBe("1 message left this minute with this model");
    const hourly = layersFromLimits({ plan: "free", layers: [modelLayer("model-hour", 2)] });
    expect(limitHint(hourly, now)?.text).toBe("2 messages left this hour with this model");
  });
  it("follows the model's layer named by a chat answer's RateLimit header", () => {
    const fields = parseRateLimitHeaders('"model-min";r=0;t=30', '"model-min";q=1;w=60, "min";q=5;w=60');
    expect(fields?.name).toBe("model-min");
    const layers = observeAnswer(layersFromLimits(limits), fields as NonNullable<typeof fields>, true, now);
    expect(limitHint(layers, now)?.text).toBe("No messages left this minute with this model");
  });
  it("never counts tokens as messages, and forgets the layers of a model no longer chosen", () => {
    const layers = layersFromLimits({ plan: "free", layers: [modelLayer("model-tpm", 1)] });
    expect(limitHint(layers, now)).toBeNull();
    const mixed = layersFromLimits({ plan: "free", layers: [...limits.layers, modelLayer("model-min", 0)] });
    expect(forgetModelLayers(mixed).map((layer) => layer.name)).toEqual(["min", "hour", "ip-min"]);
  });
});
