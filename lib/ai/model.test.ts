// Model selection, and the real OpenAI / OpenAI-compatible providers against the local fake server over HTTP.
import { streamText } from "ai";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { services } from "@/lib/services";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { selectChatModel, titleModelOf } from "./model";
import type { AiConfig } from "./model-label";
import { OfflineChatModel } from "./offline-model";
import { SYSTEM_PROMPT } from "./prompt";

const cfg = (over: Partial<AiConfig> = {}): AiConfig => ({
  gatewayApiKey: undefined,
  model: undefined,
  openaiApiKey: undefined,
  openaiBaseUrl: undefined,
  offlineDelayMs: 0,
  ...over,
});

describe("selectChatModel", () => {
  it.each([
    [{}, "offline", "offline-demo", "Offline demo model", "offline"],
    [{ gatewayApiKey: "gw" }, "gateway", "openai/gpt-5-mini", "openai/gpt-5-mini via AI Gateway", "gateway"],
    [
      { gatewayApiKey: "gw", openaiApiKey: "sk", openaiBaseUrl: "http://x/v1", model: "anthropic/claude-x" },
      "gateway",
      "anthropic/claude-x",
      "anthropic/claude-x via AI Gateway",
      "gateway",
    ],
    [
      { openaiBaseUrl: "http://localhost:11434/v1" },
      "openai-compatible",
      "llama3.2",
      "llama3.2 via OpenAI-compatible API",
      "openai-compatible.chat",
    ],
    [
      { openaiBaseUrl: "http://localhost:8000/v1", openaiApiKey: "sk", model: "qwen" },
      "openai-compatible",
      "qwen",
      "qwen via OpenAI-compatible API",
      "openai-compatible.chat",
    ],
    [{ openaiApiKey: "sk" }, "openai", "gpt-5-mini", "gpt-5-mini via OpenAI", "openai.chat"],
    [
      { openaiApiKey: "sk", model: "gpt-4.1-nano" },
      "openai",
      "gpt-4.1-nano",
      "gpt-4.1-nano via OpenAI",
      "openai.chat",
    ],
  ] as const)("%j -> %s", (over, provider, id, label, sdkProvider) => {
    const info = selectChatModel(cfg(over));
    expect(info).toMatchObject({ provider, id, label });
    expect(info.model.modelId).toBe(id);
    expect(info.model.provider).toBe(sdkProvider);
    expect(info.label).not.toMatch(/sk|gw|localhost/);
  });

  it("passes the configured delay to the offline model", () => {
    const info = selectChatModel(cfg({ offlineDelayMs: 7 }));
    expect(info.model).toBeInstanceOf(OfflineChatModel);
    expect((info.model as OfflineChatModel).delayMs).toBe(7);
  });
});

describe("the process's model and title model", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfigForTests();
  });

  it("is built once from the config; the title model is null offline", () => {
    for (const key of ["AI_GATEWAY_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL"])
      vi.stubEnv(key, "");
    resetConfigForTests();
    const first = services().model;
    expect(first.provider).toBe("offline");
    vi.stubEnv("OPENAI_API_KEY", "sk-late");
    expect(services().model).toBe(first);
    expect(titleModelOf(first)).toBeNull();
    resetConfigForTests();
    expect(services().model.provider).toBe("openai");
    expect(titleModelOf(services().model)?.provider).toBe("openai");
  });
});

describe("real providers against the fake OpenAI server", () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ reply: "Hello from the fake upstream, streaming word by word." });
  });
  afterAll(() => fake.close());

  it("openai-compatible: streams chunks, sends model/messages/stream and the key, reports usage", async () => {
    const before = fake.requests.length;
    const { model } = selectChatModel(
      cfg({ openaiBaseUrl: fake.baseURL, openaiApiKey: "sk-local", model: "m1" }),
    );
    const result = streamText({ model, instructions: SYSTEM_PROMPT, prompt: "Hi fake" });
    const deltas: string[] = [];
    for await (const d of result.textStream) deltas.push(d);

    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe("Hello from the fake upstream, streaming word by word.");
    const req = fake.requests[before];
    expect(req?.path).toBe("/v1/chat/completions");
    expect(req?.headers.authorization).toBe("Bearer sk-local");
    expect(req?.body).toMatchObject({
      model: "m1",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: "Hi fake" },
      ],
    });
    const usage = await result.usage;
    expect(usage.outputTokens).toBe(deltas.length);
    expect(usage.inputTokens).toBeGreaterThan(0);
  });

  it("openai-compatible without a key sends no Authorization header", async () => {
    const before = fake.requests.length;
    const { model } = selectChatModel(cfg({ openaiBaseUrl: `${fake.baseURL}/` }));
    await streamText({ model, prompt: "anon" }).consumeStream();
    expect(fake.requests[before]?.headers.authorization).toBeUndefined();
    expect(fake.requests[before]?.body?.model).toBe("llama3.2");
  });

  it("openai: uses Chat Completions at the default OpenAI URL (redirected to the fake)", async () => {
    const before = fake.requests.length;
    const redirect: typeof fetch = (input, init) =>
      fetch(
        String(input instanceof Request ? input.url : input).replace(
          "https://api.openai.com/v1",
          fake.baseURL,
        ),
        init,
      );
    const { model } = selectChatModel(cfg({ openaiApiKey: "sk-openai" }), { fetch: redirect });
    const result = streamText({ model, prompt: "Hi OpenAI" });
    expect(await result.text).toBe("Hello from the fake upstream, streaming word by word.");
    const req = fake.requests[before];
    expect(req?.path).toBe("/v1/chat/completions");
    expect(req?.headers.authorization).toBe("Bearer sk-openai");
    expect(req?.body).toMatchObject({ model: "gpt-5-mini", stream: true });
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  it("aborting streamText disconnects the upstream HTTP stream", async () => {
    fake.set({ chunkDelayMs: 30, reply: "word ".repeat(200) });
    try {
      const { model } = selectChatModel(cfg({ openaiBaseUrl: fake.baseURL }));
      const controller = new AbortController();
      const result = streamText({ model, prompt: "long please", abortSignal: controller.signal });
      const abortsBefore = fake.aborted();
      let deltas = 0;
      let abortedAt = 0;
      for await (const _ of result.textStream) {
        if (++deltas === 3) {
          abortedAt = Date.now();
          controller.abort();
        }
      }
      const seen = await fake.waitForAbort(1_000);
      expect(seen.at - abortedAt).toBeLessThan(1_000);
      expect(seen.chunksSent).toBeLessThan(200);
      expect(fake.aborted()).toBe(abortsBefore + 1);
      expect(deltas).toBeLessThan(10);
    } finally {
      fake.set({ chunkDelayMs: 0, reply: "Hello from the fake upstream, streaming word by word." });
    }
  });
});
