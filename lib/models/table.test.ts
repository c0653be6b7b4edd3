// CHAT_MODELS: validated at start-up, with errors that name the model and the field.
import { describe, expect, it } from "vitest";
import { estimatePromptTokens } from "../admission/budget";
import { ConfigError, parseConfig } from "../config";

const models = (value: unknown) => parseConfig({ CHAT_MODELS: JSON.stringify(value) }).models;
const refusal = (value: unknown) => {
  try {
    models(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("accepted");
};

describe("CHAT_MODELS", () => {
  it("is optional: without it there is no model table (the app has its one model)", () => {
    expect(parseConfig({}).models).toBeNull();
    expect(parseConfig({ CHAT_MODELS: " " }).models).toBeNull();
  });

  it("keeps the configured order and fills the defaults", () => {
    const table = models({
      fast: { label: "Fast", model: "gpt-5-mini" },
      smart: {
        label: "Smart",
        model: "gpt-5",
        plans: ["pro"],
        perMinute: 2,
        tokenCost: 5,
        capacity: { requestsPerMinute: 100, tokensPerMinute: 50_000 },
      },
    });
    expect(table?.map((m) => m.key)).toEqual(["fast", "smart"]);
    expect(table?.[0]).toEqual({
      key: "fast",
      label: "Fast",
      model: "gpt-5-mini",
      plans: null,
      perMinute: 0,
      perHour: 0,
      tokenCost: 1,
      capacity: { requestsPerMinute: 0, tokensPerMinute: 0 },
    });
    expect(table?.[1]).toMatchObject({ plans: ["pro"], perMinute: 2, tokenCost: 5 });
  });

  it("names the model and the field of what it refuses", () => {
    expect(refusal("nope")).toMatch(/CHAT_MODELS.*JSON object keyed by model key/);
    expect(parseConfig.bind(null, { CHAT_MODELS: "{oops" })).toThrow(/CHAT_MODELS.*not valid JSON/);
    expect(refusal({})).toMatch(/at least one model/);
    expect(refusal({ "Bad Key": { label: "x", model: "m" } })).toMatch(/model "Bad Key"/);
    expect(refusal({ fast: { model: "m" } })).toMatch(/model "fast", field "label"/);
    expect(refusal({ fast: { label: "F", model: "m", perMinute: -1 } })).toMatch(
      /model "fast", field "perMinute": must be >= 0/,
    );
    expect(refusal({ fast: { label: "F", model: "m", tokenCost: 0 } })).toMatch(
      /field "tokenCost": must be > 0/,
    );
    expect(refusal({ fast: { label: "F", model: "m", speed: 3 } })).toMatch(
      /model "fast", field "speed": unknown field/,
    );
    expect(refusal({ fast: { label: "F", model: "m", capacity: { requestsPerMinute: 1.5 } } })).toMatch(
      /model "fast", field "capacity.requestsPerMinute": must be a whole number/,
    );
    expect(refusal({ fast: { label: "F", model: "m", plans: ["gold"] } })).toMatch(
      /model "fast", field "plans": no plan "gold"/,
    );
    expect(refusal({ fast: 3 })).toMatch(/model "fast".*must be an object/);
  });

  it("refuses a tokensPerMinute below one message's reservation (system prompt estimate + the reply's cap)", () => {
    const oneMessage = estimatePromptTokens(0, 0) + 4096; // CHAT_MAX_OUTPUT_TOKENS' default
    const tpm = (tokensPerMinute: number, env: Record<string, string> = {}) =>
      parseConfig({
        ...env,
        CHAT_MODELS: JSON.stringify({ fast: { label: "F", model: "m", capacity: { tokensPerMinute } } }),
      }).models?.[0]?.capacity.tokensPerMinute;
    expect(tpm(oneMessage)).toBe(oneMessage);
    expect(() => tpm(oneMessage - 1)).toThrow(
      new RegExp(
        `CHAT_MODELS.*model "fast", field "capacity.tokensPerMinute": ${oneMessage - 1} is less than one ` +
          `message's reservation, ${oneMessage} tokens \\(.*CHAT_MAX_OUTPUT_TOKENS 4096\\)`,
      ),
    );
    // A smaller reply cap makes the same quota enough.
    expect(tpm(oneMessage - 1, { CHAT_MAX_OUTPUT_TOKENS: "4000" })).toBe(oneMessage - 1);
  });

  it("accepts plans added by RATE_LIMIT_PLANS", () => {
    const config = parseConfig({
      RATE_LIMIT_PLANS: JSON.stringify({ team: { perMinute: 9 } }),
      CHAT_MODELS: JSON.stringify({ big: { label: "Big", model: "m", plans: ["team", "pro"] } }),
    });
    expect(config.models?.[0]?.plans).toEqual(["team", "pro"]);
  });
});
