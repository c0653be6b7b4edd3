import { describe, expect, it } from "vitest";
import { memoryStorage } from "@/test/support/memory-storage";
import type { ModelInfo, ModelList } from "../wire/types";
import {
  effectiveModel,
  KEEP_CHOICE_FOR_MS,
  modelRefusalText,
  offersChoice,
  pruneModelChoices,
  readLastModel,
  readModelChoice,
  unlockAction,
  unlockOf,
  writeModelChoice,
} from "./model-choice";

const now = 1_800_000_000_000;
const model = (key: string, available: boolean, plans = ["guest", "free", "pro"]): ModelInfo => ({
  key,
  label: key[0]?.toUpperCase() + key.slice(1),
  available,
  plans,
  limits: { per_minute: 0, per_hour: 0, requests_per_minute: 0, tokens_per_minute: 0, token_cost: 1 },
  layers: [],
});
const list: ModelList = {
  default: "fast",
  models: [model("fast", true), model("smart", false, ["pro"]), model("bulk", true)],
};

describe("remembering the choice", () => {
  it("keeps one per conversation and the last one used, and a new chat reads the last one", () => {
    const storage = memoryStorage();
    expect(readModelChoice(storage, "c1")).toBeNull();
    expect(readLastModel(storage)).toBeNull();
    writeModelChoice(storage, "c1", "bulk", now);
    writeModelChoice(storage, "c2", "fast", now);
    expect(readModelChoice(storage, "c1")).toBe("bulk");
    expect(readModelChoice(storage, "c2")).toBe("fast");
    expect(readLastModel(storage)).toBe("fast");
    expect(effectiveModel(list, readModelChoice(storage, "new"), readLastModel(storage))).toBe("fast");
  });
  it("survives unreadable entries and storage that throws, and prunes month-old choices", () => {
    const storage = memoryStorage();
    storage.setItem("throttled-chat:model:bad", "{not json");
    expect(readModelChoice(storage, "bad")).toBeNull();
    const throwing = {
      ...storage,
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    expect(readModelChoice(throwing, "c1")).toBeNull();
    expect(() => writeModelChoice(throwing, "c1", "fast", now)).not.toThrow();
    writeModelChoice(storage, "old", "bulk", now - KEEP_CHOICE_FOR_MS - 1);
    writeModelChoice(storage, "recent", "bulk", now - 1000);
    storage.setItem("throttled-chat:chat:other", "{}"); // not ours: left alone
    pruneModelChoices(storage, now);
    expect(readModelChoice(storage, "old")).toBeNull();
    expect(readModelChoice(storage, "recent")).toBe("bulk");
    expect(storage.map.has("throttled-chat:model:bad")).toBe(false);
    expect(storage.map.has("throttled-chat:chat:other")).toBe(true);
  });
});

describe("effectiveModel", () => {
  it("takes the conversation's choice, then the last used, then the default — only ones this caller may use", () => {
    expect(effectiveModel(list, "bulk", "fast")).toBe("bulk");
    expect(effectiveModel(list, null, "bulk")).toBe("bulk");
    expect(effectiveModel(list, null, null)).toBe("fast");
    // A plan that lost "smart", or a model the operator removed: the next usable one.
    expect(effectiveModel(list, "smart", "bulk")).toBe("bulk");
    expect(effectiveModel(list, "gone", null)).toBe("fast");
    expect(
      effectiveModel({ default: null, models: [model("smart", false), model("deep", false)] }, null, null),
    ).toBeNull();
    // One model: nothing to choose, nothing named in requests.
    expect(effectiveModel({ default: "default", models: [model("default", true)] }, null, null)).toBeNull();
  });
  it("sends the remembered choice before the list has loaded (the server decides)", () => {
    expect(effectiveModel(null, "smart", "bulk")).toBe("smart");
    expect(effectiveModel(null, null, "bulk")).toBe("bulk");
    expect(effectiveModel(null, null, null)).toBeNull();
  });
  it("offers a choice only with more than one model", () => {
    expect(offersChoice(list)).toBe(true);
    expect(offersChoice({ default: "default", models: [model("default", true)] })).toBe(false);
    expect(offersChoice(null)).toBe(false);
  });
});

describe("unlockOf", () => {
  const smart = model("smart", false, ["pro"]);
  const guest = { canSignIn: true, checkoutUrl: null, upgradePlan: "pro" };
  const free = { canSignIn: false, checkoutUrl: "https://buy.example/x", upgradePlan: "pro" };
  it("names the plan and the paywall's way there: Sign in to upgrade for a guest, Upgrade when signed in", () => {
    expect(unlockOf(smart, guest)).toEqual({ plan: "Pro", action: "sign-in", label: "Sign in to upgrade" });
    expect(unlockOf(smart, free)).toEqual({ plan: "Pro", action: "checkout", label: "Upgrade" });
  });
  it("asks a guest only to sign in when the free plan has it", () => {
    expect(unlockOf(model("chat", false, ["free", "pro"]), guest)).toEqual({
      plan: "Free",
      action: "sign-in",
      label: "Sign in",
    });
  });
  it("offers no way when none is open here: no sign-in, no checkout, or a plan that is not for sale", () => {
    expect(unlockOf(smart, { ...guest, canSignIn: false })).toEqual({
      plan: "Pro",
      action: null,
      label: null,
    });
    expect(unlockOf(smart, { ...free, checkoutUrl: null, upgradePlan: null })).toMatchObject({
      action: null,
    });
    expect(unlockOf(model("team", false, ["team"]), free)).toEqual({
      plan: "Team",
      action: null,
      label: null,
    });
  });
});

describe("unlockAction", () => {
  it("offers one way out under the list, naming what it unlocks", () => {
    const models = [model("fast", true), model("smart", false, ["pro"]), model("deep", false, ["pro"])];
    expect(unlockAction(models, { canSignIn: true, checkoutUrl: null, upgradePlan: "pro" })).toEqual({
      action: "sign-in",
      label: "Sign in to upgrade",
      detail: "Pro unlocks Smart and Deep",
    });
    expect(unlockAction(models, { canSignIn: false, checkoutUrl: null, upgradePlan: null })).toBeNull();
    expect(
      unlockAction([model("fast", true)], { canSignIn: true, checkoutUrl: null, upgradePlan: "pro" }),
    ).toBeNull();
  });
});

describe("modelRefusalText", () => {
  it("says which model, which plan has it, and that the message is back in the box", () => {
    expect(modelRefusalText({ error: "model_not_in_plan", model: "smart", plans: ["pro"] }, list)).toBe(
      "Smart isn't part of your plan (it comes with Pro), so nothing was sent. Your message is back in the box: choose another model and send it again.",
    );
    expect(modelRefusalText({}, null)).toMatch(/^This model isn't part of your plan, so nothing was sent\./);
  });
});
