// Title generation: the offline heuristic, and the real-model path against the fake server incl. failures.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { selectChatModel } from "./model";
import type { AiConfig } from "./model-label";
import { cleanModelTitle, DEFAULT_TITLE, generateConversationTitle, heuristicTitle } from "./title";

describe("heuristicTitle", () => {
  it.each([
    ["", DEFAULT_TITLE],
    ["   \n\t ", DEFAULT_TITLE],
    ["hello", "Hello"],
    ["how do I reverse a linked list in rust?", "How do I reverse a linked"],
    ["what is the API rate limit?", "What is the API rate limit"],
    ["  **bold**   `code`  question here!!! ", "Bold code question here"],
    ["¿qué tal?", "¿qué tal"],
    ["ünïcode words are fine", "Ünïcode words are fine"],
  ])("%j -> %j", (input, expected) => {
    expect(heuristicTitle(input)).toBe(expected);
  });

  it("caps at 60 characters on a word boundary", () => {
    const title = heuristicTitle(`${"supercalifragilistic ".repeat(6)}`);
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title.endsWith("…")).toBe(true);
    expect(heuristicTitle("x".repeat(500)).length).toBeLessThanOrEqual(60);
  });

  it("drops bidi overrides, control characters and lone surrogates, and never cuts inside a character", () => {
    expect(heuristicTitle("\u202Eevil\u202C title \uD800here\u0007")).toBe("Evil title here");
    const emoji = heuristicTitle("😀".repeat(100));
    expect(emoji).not.toMatch(/\p{Cs}/u); // no half of a surrogate pair left by the cut
    expect(Array.from(emoji).length).toBeLessThanOrEqual(60);
    expect(cleanModelTitle("\u2066Title: Quarterly \u202Eplan\u2069")).toBe("Quarterly plan");
  });
});

describe("cleanModelTitle", () => {
  it.each([
    ['"Reversing a Linked List"', "Reversing a Linked List"],
    ["“Rust linked lists”.", "Rust linked lists"],
    ["Title: Debugging Node streams\nExtra line", "Debugging Node streams"],
    ["**Title:** Trip to Lisbon", "Trip to Lisbon"],
    ["Title of the book", "Title of the book"],
    ["\n\n  'planning a garden'  ", "Planning a garden"],
    ["   ", ""],
  ])("%j -> %j", (raw, expected) => {
    expect(cleanModelTitle(raw)).toBe(expected);
  });
});

describe("generateConversationTitle", () => {
  let fake: FakeOpenAI;
  const cfg = (baseURL: string): AiConfig => ({
    gatewayApiKey: undefined,
    model: "title-model",
    openaiApiKey: "sk-title",
    openaiBaseUrl: baseURL,
    offlineDelayMs: 0,
  });
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake.close());

  it("uses the heuristic when there is no title model (offline)", async () => {
    expect(
      await generateConversationTitle("plan a trip to japan next spring", "Sure!", { model: null }),
    ).toBe("Plan a trip to japan next");
    expect(await generateConversationTitle("", undefined, { model: null })).toBe(DEFAULT_TITLE);
  });

  it("asks the model with a non-streaming request and strips quotes/newlines", async () => {
    fake.set({ reply: '"Japan Spring Trip Plan"\n', status: undefined });
    const before = fake.requests.length;
    const title = await generateConversationTitle("plan a trip to japan next spring", "Here is a plan…", {
      model: selectChatModel(cfg(fake.baseURL)),
    });
    expect(title).toBe("Japan Spring Trip Plan");
    const req = fake.requests[before];
    expect(req?.body?.stream).toBeFalsy();
    expect(req?.body?.model).toBe("title-model");
    expect(req?.headers.authorization).toBe("Bearer sk-title");
    const messages = JSON.stringify(req?.body?.messages);
    expect(messages).toContain("3–6 word title");
    expect(messages).toContain("plan a trip to japan next spring");
    expect(messages).toContain("Here is a plan");
    // No reasoning_effort for OpenAI-compatible servers (Ollama & co. may reject it).
    expect(req?.body).not.toHaveProperty("reasoning_effort");
  });

  it("caps a long model answer at 60 characters", async () => {
    fake.set({ reply: "A very long title ".repeat(10), status: undefined });
    const title = await generateConversationTitle("hi", undefined, {
      model: selectChatModel(cfg(fake.baseURL)),
    });
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title.startsWith("A very long title")).toBe(true);
  });

  it("falls back to the heuristic and warns when the server errors", async () => {
    fake.set({ status: 500 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const title = await generateConversationTitle("why is my build failing today", undefined, {
        model: selectChatModel(cfg(fake.baseURL)),
      });
      expect(title).toBe("Why is my build failing today");
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain("title-model via OpenAI-compatible API");
    } finally {
      warn.mockRestore();
      fake.set({ status: undefined });
    }
  });

  it("falls back when the server is unreachable, aborted, or answers with nothing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const down = selectChatModel(cfg("http://127.0.0.1:9/v1"));
      expect(await generateConversationTitle("server down test", undefined, { model: down })).toBe(
        "Server down test",
      );
      const live = selectChatModel(cfg(fake.baseURL));
      const signal = AbortSignal.abort();
      expect(
        await generateConversationTitle("aborted title", undefined, { model: live, abortSignal: signal }),
      ).toBe("Aborted title");
      fake.set({ reply: "  \n " });
      expect(await generateConversationTitle("empty answer", undefined, { model: live })).toBe(
        "Empty answer",
      );
    } finally {
      warn.mockRestore();
      fake.set({ reply: undefined });
    }
  });
});
