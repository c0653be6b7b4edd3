// guardUIMessageStream against a fake upstream that drops mid-body, and cancellation passing through it.
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { createUIMessageStreamResponse, streamText, toUIMessageStream } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { selectChatModel } from "./model";
import type { AiConfig } from "./model-label";
import { guardUIMessageStream } from "./stream-guard";

/** The text deltas of a UI message stream body, joined. */
function textDeltas(body: string): string {
  return body
    .split("\n")
    .filter((line) => line.startsWith("data: {"))
    .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: string })
    .flatMap((chunk) => (chunk.type === "text-delta" ? [chunk.delta] : []))
    .join("");
}

/** The HTTP body of a guarded reply from `model` whose upstream may break mid-body. */
function guardedBody(model: ReturnType<typeof selectChatModel>["model"]): Promise<string> {
  const result = streamText({ model, prompt: "x", onError: () => {} });
  const stream = guardUIMessageStream(toUIMessageStream({ stream: result.stream }), () => "Upstream failed");
  return createUIMessageStreamResponse({ stream }).text();
}

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
    const body = await guardedBody(model());
    // Every delta sent before the cut reaches the client, in order: the partial reply is the user's data.
    expect(textDeltas(body)).toBe("one two three ");
    expect(body).toContain('{"type":"error","errorText":"Upstream failed"}');
    expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("keeps the deltas that arrive in the same TCP segment as the cut", async () => {
    // The harshest timing for the client: head, three chunks and the FIN in one write, no terminating chunk.
    const chunk = (content: string) => {
      const event = `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      return `${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n`;
    };
    const server = createServer((socket) =>
      socket.once("data", () =>
        socket.end(
          "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
            chunk("one ") +
            chunk("two ") +
            chunk("three "),
        ),
      ),
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const body = await guardedBody(
        selectChatModel({ openaiBaseUrl: baseURL, offlineDelayMs: 0 } as AiConfig).model,
      );
      expect(textDeltas(body)).toBe("one two three ");
      expect(body).toContain('{"type":"error","errorText":"Upstream failed"}');
    } finally {
      server.close();
    }
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
