// A keyless, network-free LanguageModelV4 that streams a deterministic markdown reply (offline-reply.ts) word by word.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { offlineReply } from "./offline-reply";

export const OFFLINE_MODEL_ID = "offline-demo";
export const OFFLINE_PROVIDER = "offline";

export interface OfflineStreamEnd {
  outcome: "completed" | "cancelled";
  /** Date.now() when the stream stopped producing. */
  at: number;
  emittedTokens: number;
}

export interface OfflineModelOptions {
  /** Pause between streamed tokens; 0 streams as fast as the consumer reads (benchmarks). */
  delayMs?: number;
  /** Called once per stream that is aborted or cancelled before it finished. */
  onCancel?: (end: OfflineStreamEnd) => void;
  /** The configured model this one stands in for (CHAT_MODELS): the reply names it. */
  answeredAs?: string;
}

/** Splits text into word tokens that keep their trailing whitespace, so joining them restores the text. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

function promptText(prompt: LanguageModelV4Prompt): string {
  return prompt
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : m.content.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join(" "),
    )
    .join("\n");
}

function usage(input: number, output: number): LanguageModelV4Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

let responseSeq = 0;

/** A real provider model (not a test mock): used whenever no AI credentials are configured. */
export class OfflineChatModel implements LanguageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = OFFLINE_PROVIDER;
  readonly modelId = OFFLINE_MODEL_ID;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly delayMs: number;
  private readonly onCancel: ((end: OfflineStreamEnd) => void) | undefined;
  private readonly answeredAs: string | undefined;
  private readonly listeners = new Set<(end: OfflineStreamEnd) => void>();
  private active = 0;

  constructor(options: OfflineModelOptions = {}) {
    this.delayMs = Math.max(0, options.delayMs ?? 25);
    this.onCancel = options.onCancel;
    this.answeredAs = options.answeredAs;
  }

  /** Streams currently producing tokens; drops to 0 once every stream finished or was cancelled. */
  get activeStreams(): number {
    return this.active;
  }

  /** Observes every stream's end (completed or cancelled); returns an unsubscribe function. */
  onStreamEnd(listener: (end: OfflineStreamEnd) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private plan(options: LanguageModelV4CallOptions) {
    const all = tokenize(offlineReply(options.prompt, this.answeredAs));
    const max = options.maxOutputTokens;
    const tokens = max !== undefined && max >= 0 && max < all.length ? all.slice(0, max) : all;
    const finishReason: LanguageModelV4FinishReason =
      tokens.length < all.length ? { unified: "length", raw: "length" } : { unified: "stop", raw: "stop" };
    const inputTokens = Math.max(1, Math.ceil(promptText(options.prompt).length / 4));
    const metadata = { id: `offline-${Date.now().toString(36)}-${++responseSeq}`, timestamp: new Date() };
    return { tokens, finishReason, inputTokens, metadata };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    if (options.abortSignal?.aborted) throw abortError(options.abortSignal);
    const { tokens, finishReason, inputTokens, metadata } = this.plan(options);
    return {
      content: [{ type: "text", text: tokens.join("") }],
      finishReason,
      usage: usage(inputTokens, tokens.length),
      response: { ...metadata, modelId: this.modelId },
      warnings: [],
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw abortError(signal);
    const { tokens, finishReason, inputTokens, metadata } = this.plan(options);
    const delayMs = this.delayMs;
    let next = 0;
    let ended = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wake: (() => void) | undefined;
    let ctrl: ReadableStreamDefaultController<LanguageModelV4StreamPart> | undefined;

    const end = (outcome: OfflineStreamEnd["outcome"]) => {
      if (ended) return false;
      ended = true;
      this.active--;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const info: OfflineStreamEnd = { outcome, at: Date.now(), emittedTokens: next };
      if (outcome === "cancelled") this.onCancel?.(info);
      for (const listener of this.listeners) listener(info);
      return true;
    };
    // Erroring with the abort reason mirrors an HTTP provider whose fetch was aborted.
    const onAbort = () => {
      if (end("cancelled") && signal) ctrl?.error(abortError(signal));
      wake?.();
    };

    this.active++;
    signal?.addEventListener("abort", onAbort, { once: true });
    const id = "text-0";
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        ctrl = controller;
        controller.enqueue({ type: "stream-start", warnings: [] });
        controller.enqueue({ type: "response-metadata", ...metadata, modelId: OFFLINE_MODEL_ID });
        controller.enqueue({ type: "text-start", id });
      },
      // Pull-driven, so a consumer that stops reading also stops generation (backpressure).
      pull: async (controller) => {
        if (ended) return;
        if (delayMs > 0 && next > 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, delayMs);
          });
          wake = undefined;
          if (ended) return;
        }
        const token = tokens[next];
        if (token !== undefined) {
          next++;
          controller.enqueue({ type: "text-delta", id, delta: token });
          return;
        }
        controller.enqueue({ type: "text-end", id });
        controller.enqueue({ type: "finish", finishReason, usage: usage(inputTokens, tokens.length) });
        end("completed");
        controller.close();
      },
      cancel: () => {
        end("cancelled");
        wake?.();
      },
    });
    return { stream, request: { body: { prompt: options.prompt } } };
  }
}
