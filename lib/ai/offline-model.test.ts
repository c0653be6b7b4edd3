// The offline model driven through the real `ai` streamText/generateText, including abort behaviour.
import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { OfflineChatModel, type OfflineStreamEnd, tokenize } from "./offline-model";
import { offlineReply } from "./offline-reply";

const userPrompt = (text: string) => [{ role: "user" as const, content: [{ type: "text" as const, text }] }];

describe("OfflineChatModel", () => {
  it("streams the deterministic reply in many deltas with matching usage", async () => {
    const model = new OfflineChatModel({ delayMs: 1 });
    const result = streamText({ model, prompt: "Tell me about **markdown** please" });
    const deltas: string[] = [];
    for await (const part of result.stream) if (part.type === "text-delta") deltas.push(part.text);

    const expected = offlineReply(userPrompt("Tell me about **markdown** please"));
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.join("")).toBe(expected);
    expect(await result.text).toBe(expected);
    expect(expected).toContain("You said: “Tell me about **markdown** please”.");
    expect(expected).toMatch(/\n- /); // a markdown list, so rendering is visible

    const usage = await result.usage;
    expect(usage.outputTokens).toBe(deltas.length);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.totalTokens).toBe((usage.inputTokens ?? 0) + deltas.length);
    expect(await result.finishReason).toBe("stop");
    expect(model.activeStreams).toBe(0);
  });

  it("is deterministic, truncates long input and counts turns", () => {
    const long = "word ".repeat(100);
    const a = offlineReply([...userPrompt("first"), ...userPrompt(long)]);
    expect(a).toBe(offlineReply([...userPrompt("first"), ...userPrompt(long)]));
    expect(a).toContain(`“${long.trim().slice(0, 200).trimEnd()}…”`);
    expect(a).toContain("turn 2");
    expect(offlineReply([])).toContain("empty message");
    expect(tokenize("a  b\nc").join("")).toBe("a  b\nc");
  });

  it("waits roughly delayMs between tokens", async () => {
    const model = new OfflineChatModel({ delayMs: 20 });
    const started = Date.now();
    const result = streamText({ model, prompt: "hi" });
    let n = 0;
    for await (const _ of result.textStream) if (++n === 6) break;
    // 5 pauses of 20 ms after the immediate first token; allow slack for slow CI timers.
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it("streams instantly with delayMs 0", async () => {
    const model = new OfflineChatModel({ delayMs: 0 });
    const started = Date.now();
    const { text } = await generateText({ model, prompt: "fast" });
    await streamText({ model, prompt: "fast" }).consumeStream();
    expect(text.length).toBeGreaterThan(100);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("stops promptly on abort: no deltas after it, cancel observed, no active streams", async () => {
    const ends: OfflineStreamEnd[] = [];
    const cancels: OfflineStreamEnd[] = [];
    const model = new OfflineChatModel({ delayMs: 15, onCancel: (e) => cancels.push(e) });
    model.onStreamEnd((e) => ends.push(e));
    const controller = new AbortController();
    const result = streamText({ model, prompt: "please stop me", abortSignal: controller.signal });

    let before = 0;
    let after = 0;
    let abortedAt = 0;
    let sawAbortPart = false;
    for await (const part of result.stream) {
      if (part.type === "abort") sawAbortPart = true;
      if (part.type !== "text-delta") continue;
      if (abortedAt) after++;
      else if (++before === 4) {
        expect(model.activeStreams).toBe(1);
        abortedAt = Date.now();
        controller.abort();
      }
    }
    const tokensTotal = tokenize(offlineReply(userPrompt("please stop me"))).length;
    expect(after).toBe(0);
    expect(sawAbortPart).toBe(true);
    expect(model.activeStreams).toBe(0);
    expect(cancels).toHaveLength(1);
    expect(ends).toEqual(cancels);
    expect(cancels[0]?.emittedTokens).toBeLessThan(tokensTotal);
    expect((cancels[0]?.at ?? Infinity) - abortedAt).toBeLessThan(1_000);

    // Nothing keeps producing after the abort.
    await new Promise((r) => setTimeout(r, 60));
    expect(ends).toHaveLength(1);
  });

  it("ends the stream when the consumer cancels without an abort signal", async () => {
    const model = new OfflineChatModel({ delayMs: 5 });
    const { stream } = await model.doStream({ prompt: userPrompt("x") });
    const reader = stream.getReader();
    await reader.read();
    expect(model.activeStreams).toBe(1);
    await reader.cancel();
    expect(model.activeStreams).toBe(0);
  });

  it("errors its own stream on abortSignal even if nobody cancels the reader", async () => {
    const model = new OfflineChatModel({ delayMs: 1_000 });
    const controller = new AbortController();
    const { stream } = await model.doStream({ prompt: userPrompt("x"), abortSignal: controller.signal });
    const reader = stream.getReader();
    const types: string[] = [];
    for (let i = 0; i < 4; i++) types.push((await reader.read()).value?.type ?? "done");
    expect(types).toEqual(["stream-start", "response-metadata", "text-start", "text-delta"]);
    const pending = reader.read(); // parked in the 1 s pause
    const started = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    // Well before the 1 s pause ends: the abort, not the timer, ended the read.
    expect(Date.now() - started).toBeLessThan(900);
    expect(model.activeStreams).toBe(0);
  });

  it("rejects a call whose signal is already aborted", async () => {
    const model = new OfflineChatModel();
    const signal = AbortSignal.abort();
    await expect(model.doStream({ prompt: userPrompt("x"), abortSignal: signal })).rejects.toBeDefined();
    expect(model.activeStreams).toBe(0);
  });

  it("works with generateText and honours maxOutputTokens", async () => {
    const model = new OfflineChatModel({ delayMs: 25 });
    const full = await generateText({ model, prompt: "hello" });
    expect(full.text).toBe(offlineReply(userPrompt("hello")));
    expect(full.usage.outputTokens).toBe(tokenize(full.text).length);
    expect(full.finishReason).toBe("stop");

    const short = await generateText({ model, prompt: "hello", maxOutputTokens: 5 });
    expect(short.usage.outputTokens).toBe(5);
    expect(short.finishReason).toBe("length");
    expect(full.text.startsWith(short.text)).toBe(true);
  });
});
