// Streams the assistant's reply to an admitted message to its end whoever still reads it, then bills it and saves the exchange in one write.
import {
  consumeStream,
  createUIMessageStreamResponse,
  streamText,
  type ToolSet,
  toUIMessageStream,
  wrapLanguageModel,
} from "ai";
import type { Admitted } from "../admission";
import type { ChatIntent } from "../admission/types";
import { buildChatPrompt } from "../ai/prompt";
import { busyProviderNotRetried, openStream, providerBusyUntil } from "../ai/provider-busy";
import { guardUIMessageStream } from "../ai/stream-guard";
import { generateConversationTitle, heuristicTitle } from "../ai/title";
import { runAfterResponse } from "../http/background";
import { recordReply } from "../reply-stream/writer";
import { services } from "../services";
import type { ChatMessage } from "../store/types";
import { messageText } from "../wire/messages";
import { LIVE_TURN_CHUNK, type LiveTurn } from "../wire/types";
import { planTurn } from "./turn";

const FAILURE_TEXT = "The assistant could not finish this reply. Please try again.";

export interface ChatReplyInput {
  admitted: Admitted;
  intent: ChatIntent;
  /** The new user message, as validated (none for regenerate). */
  message?: ChatMessage;
  owner: string;
  conversationId: string;
  /**
   * The reply is cut off (and stored, marked incomplete) after this long: it must end, be saved and billed
   * within the platform's time limit (the route's maxDuration). A client that leaves does not stop it.
   */
  timeLimitMs: number;
  /** Extra response headers (the RateLimit fields are added here). */
  headers?: Record<string, string>;
}

export async function streamChatReply(input: ChatReplyInput): Promise<Response> {
  const { admitted, headers } = input;
  const stopRenewing = admitted.keepLeaseAlive();
  // Stop (from any tab, heard through the store) or the time limit: nothing else ends the model call.
  const stop = new AbortController();
  const timeLimit = setTimeout(() => stop.abort(new Error("reply time limit")), input.timeLimitMs);
  let givenBack = false;
  try {
    const message = input.message && { ...input.message, metadata: { created_at: Date.now() } };
    const turn = planTurn(input.intent, admitted.history, admitted.length, message);
    const { userMessage } = turn;
    const userText = messageText(userMessage);
    const prompt = await buildChatPrompt(turn.history, userMessage);
    let reportedTokens: number | undefined;
    const chosen = (services().chatModels.get(admitted.model) ?? services().model).model;
    const result = streamText({
      model: wrapLanguageModel({ model: chosen, middleware: busyProviderNotRetried }),
      ...prompt,
      maxOutputTokens: admitted.maxOutputTokens,
      abortSignal: stop.signal,
      maxRetries: 1,
      onFinish: ({ usage }) => {
        reportedTokens = usage.totalTokens;
      },
      onError: ({ error }) =>
        providerBusyUntil(error, 0) === null
          ? console.error("[chat] model stream failed", error)
          : console.warn(`[chat] the provider of ${admitted.model} says it is full`),
    });
    // The response starts with the reply's first words (or its failure), not before: a provider that is full
    // before them is answered "busy" (429) with nothing counted, and its wait holds for every instance.
    // No store call happens before this point but the admission: still one round trip before the first token.
    // (Stop from another tab is heard once the reply has begun; before it only the time limit ends the call.)
    const opening = await openStream(result.stream, Date.now);
    if (opening.busyUntil !== null) {
      clearTimeout(timeLimit);
      stopRenewing();
      givenBack = true;
      throw await admitted.providerBusy(opening.busyUntil);
    }
    // A new conversation's title is made from its first message while the reply streams, so that it is
    // ready to be saved with the exchange (one write) when the reply ends; not before the provider answered
    // (a full provider is asked once, not once more for a title).
    const title = admitted.claim === "created" ? generateConversationTitle(userText) : undefined;

    const replyId = crypto.randomUUID();
    const streamId = crypto.randomUUID();
    const liveTurn: LiveTurn = { user: userMessage, at: turn.userIndex, stream_id: streamId };
    const recorder = recordReply({
      store: services().replies,
      ref: { owner: input.owner, conversationId: input.conversationId, streamId },
      head: { streamId, replyId, userMessageId: userMessage.id },
      lead: [{ type: LIVE_TURN_CHUNK, data: liveTurn, transient: true }],
      onStop: () => stop.abort(new Error("stopped")),
    });
    let finished!: () => void;
    runAfterResponse(new Promise<void>((resolve) => (finished = resolve)));
    runAfterResponse(recorder.written);
    const uiStream = toUIMessageStream<ToolSet, ChatMessage>({
      stream: opening.stream,
      originalMessages: [...turn.history, userMessage],
      generateMessageId: () => replyId,
      messageMetadata: ({ part }) => (part.type === "start" ? { created_at: Date.now() } : undefined),
      // Never leak provider internals to the browser.
      onError: () => FAILURE_TEXT,
      onEnd: async ({ responseMessage, isAborted }) => {
        clearTimeout(timeLimit);
        stopRenewing();
        try {
          const reply: ChatMessage = {
            ...responseMessage,
            metadata: { ...responseMessage.metadata, incomplete: isAborted || reportedTokens === undefined },
          };
          const replyText = messageText(reply).trim();
          // A cut-off reply reports no usage: estimate it (~4 characters a token) so stopping is no loophole.
          const tokens =
            reportedTokens ?? Math.ceil((JSON.stringify(prompt.messages).length + replyText.length) / 4);
          const saved = turn.savesUserMessage ? [userMessage] : [];
          await admitted.settle({
            tokens,
            messages: replyText ? [...saved, reply] : saved,
            title: title && (await readyOr(title, heuristicTitle(userText))),
            // A regenerate that produced nothing keeps the old answer rather than leave the question unanswered.
            replace: replyText || turn.savesUserMessage ? turn.replace : undefined,
          });
        } finally {
          finished();
        }
      },
    });
    return createUIMessageStreamResponse({
      // `no-transform`: no gzip for the event stream, from `next start`'s compression (which skips such
      // responses) or a proxy: compressing each token's event separately costs far more than it saves.
      headers: { ...headers, ...admitted.headers, "Cache-Control": "no-cache, no-transform" },
      // A body that breaks mid-stream ends with an error chunk the UI can show, not a silently cut response.
      // Every chunk is also written to the store, where reloaded and other tabs follow it (lib/reply-stream).
      stream: guardUIMessageStream(uiStream, () => FAILURE_TEXT).pipeThrough(recorder.stream),
      // Reads a copy of the stream to its end, so the reply is written to its end and onEnd (billing, saving,
      // the lease) runs even if the client left.
      consumeSseStream: consumeStream,
    });
  } catch (error) {
    if (givenBack) throw error;
    clearTimeout(timeLimit);
    stopRenewing();
    await admitted.settle({ tokens: 0, messages: [], failedBeforeStreaming: true });
    throw error;
  }
}

/** The title if it is ready now, else the fallback: a slow title model never delays the end of a reply. */
async function readyOr(title: Promise<string>, fallback: string): Promise<string> {
  return Promise.race([title, new Promise<string>((resolve) => setImmediate(() => resolve(fallback)))]);
}
