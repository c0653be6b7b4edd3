// The start-up log names the model without building services(): its label must be the one services() serves.
import { afterEach, describe, expect, it, vi } from "vitest";
import { getConfig, resetConfigForTests } from "@/lib/config";
import { services } from "@/lib/services";
import { defaultChatModel } from "./model-label";

const PROVIDER_ENV = ["AI_GATEWAY_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL", "CHAT_MODELS"];
const TWO_MODELS = JSON.stringify({
  fast: { label: "Fast", model: "gpt-4.1-nano" },
  smart: { label: "Smart", model: "gpt-5" },
});

describe("defaultChatModel (the start-up log's label)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfigForTests();
  });

  it.each([
    [{}, "Offline demo model"],
    [{ OPENAI_API_KEY: "sk-test" }, "gpt-5-mini via OpenAI"],
    [{ OPENAI_API_KEY: "sk-test", AI_MODEL: "gpt-4.1" }, "gpt-4.1 via OpenAI"],
    [{ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", AI_MODEL: "qwen" }, "qwen via OpenAI-compatible API"],
    [{ AI_GATEWAY_API_KEY: "gw-test" }, "openai/gpt-5-mini via AI Gateway"],
    [{ OPENAI_API_KEY: "sk-test", CHAT_MODELS: TWO_MODELS }, "gpt-4.1-nano via OpenAI"],
    [{ CHAT_MODELS: TWO_MODELS }, "Offline demo model"],
  ])("%j: %s, the label services().model has", (env, label) => {
    for (const key of PROVIDER_ENV) vi.stubEnv(key, "");
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    resetConfigForTests();
    expect(defaultChatModel(getConfig()).label).toBe(label);
    expect(services().model.label).toBe(label);
  });
});
