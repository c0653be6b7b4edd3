// guardUIMessageStream against a fake upstream that drops mid-body, and cancellation passing through it.
import { createUIMessageStreamResponse, streamText, toUIMessageStream } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { type AiConfig, selectChatModel } from "./model";
import { guardUIMessageStream } from "./stream-guard";

describe("guardUIMessageStream", () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ reply: "one two three four five six seven" });
  });
  afterAll(() => fake.close());
  const model = () => selectChatModel({ openaiBaseUrl: fake.baseURL, offlineDelayMs: 0 } as AiConfig).model;

  it("unguarded, a mid-body upstream drop breaks the HTTP body (why the guard exists)", async () => {
    fake.set({ dropAfterChunks: 3 });
    const result = streamText({ model: model(), prompt: "x", onError: () => {} });
    const res = createUIMessageStreamResponse({ stream: toUIMessageStream({ stream: result.stream }) });
    await expect(res.text()).rejects.toThrow();
  });

  it("ends with an error chunk and a clean [DONE] when the upstream drops mid-body", async () => {
    fake.set({ dropAfterChunks: 3 });
    const result = streamText({ model: model(), prompt: "x", onError: () => {} });
    const stream = guardUIMessageStream(
      toUIMessageStream({ stream: result.stream }),
      () => "Upstream failed",
    );
    const body = await createUIMessageStreamResponse({ stream }).text();
    expect(body).toContain('"delta":"one "');
    expect(body).toContain('{"type":"error","errorText":"Upstream failed"}');
    expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(body).not.toContain("four");
  });

  it("passes a normal stream through unchanged", async () => {
    fake.set({ dropAfterChunks: undefined });
    const result = streamText({ model: model(), prompt: "x" });
    const stream = guardUIMessageStream(toUIMessageStream({ stream: result.stream }), () => "never");
    const body = await createUIMessageStreamResponse({ stream }).text();
    expect(body).not.toContain('"type":"error"');
    expect(body).toContain('"type":"finish"');
  });

  // AI SDK 7 keeps reading the model after its consumer cancels (result.text / usage still resolve), so a
  // route must forward an abort signal; cancelling the response stream alone does not stop the upstream.
  it("cancelling the reader alone leaves the upstream running; the abort signal stops it", async () => {
    fake.set({ dropAfterChunks: undefined, chunkDelayMs: 30, reply: "word ".repeat(100) });
    try {
      const controller = new AbortController();
      const result = streamText({ model: model(), prompt: "x", abortSignal: controller.signal });
      const reader = guardUIMessageStream(toUIMessageStream({ stream: result.stream }), String).getReader();
      let deltas = 0;
      while (deltas < 2) if ((await reader.read()).value?.type === "text-delta") deltas++;
      const abortsBefore = fake.aborted();
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 200));
      expect(fake.aborted()).toBe(abortsBefore);

      const abortedAt = Date.now();
      controller.abort();
      const seen = await fake.waitForAbort(1_000);
      expect(seen.at - abortedAt).toBeLessThan(1_000);
    } finally {
      fake.set({ chunkDelayMs: 0, reply: "one two three four five six seven" });
    }
  });
});
