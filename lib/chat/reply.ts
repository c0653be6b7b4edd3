// Streams the assistant's reply for one user message and persists the exchange, usage and title when it ends.
import {
  consumeStream,
  createUIMessageStreamResponse,
  streamText,
  type ToolSet,
  toUIMessageStream,
} from "ai";
import { getChatModel } from "../ai/model";
import { buildChatPrompt, messageText } from "../ai/prompt";
import { guardUIMessageStream } from "../ai/stream-guard";
import { generateConversationTitle } from "../ai/title";
import { recordUsage } from "../credits";
import { runAfterResponse } from "../http/background";
import { ApiError } from "../http/errors";
import type { Identity } from "../identity/identify";
import { acquireStreamSlot, SLOT_LEASE_MS } from "../ratelimit/concurrency";
import { rateLimitedError, secondsUntil } from "../ratelimit/headers";
import { degradeOnFailure } from "../resilience/degrade";
import { getStore } from "../store";
import type { ChatMessage } from "../store/types";

/** How many earlier messages the model sees; older ones stay stored but leave the context window. */
const HISTORY_LIMIT = 50;

export interface ChatReplyInput {
  identity: Identity;
  conversationId: string;
  message: ChatMessage;
  /** The client's request signal: a disconnect stops the model call. */
  signal: AbortSignal;
  headers: Record<string, string>;
}

export async function streamChatReply(input: ChatReplyInput): Promise<Response> {
  const { identity, conversationId, signal, headers } = input;
  const store = getStore();
  const owner = identity.owner;
  // Both before streaming and independent, so they travel together (one auto-pipelined round trip on Redis).
  // With the store down the reply still streams, unsaved: ownership can't be checked, so nothing is written.
  const [claim, slot] = await Promise.all([
    degradeOnFailure(() => store.claim(owner, conversationId), "unavailable" as const),
    acquireStreamSlot(identity.limitKey),
  ]);
  if (claim === "taken") {
    if (slot.acquired) await slot.release().catch(() => {});
    throw new ApiError("not_found", "No conversation with this id.");
  }
  if (!slot.acquired) {
    throw rateLimitedError({
      scope: "concurrency",
      limit: slot.limit,
      windowSeconds: SLOT_LEASE_MS / 1000,
      retryAfterSeconds: secondsUntil(slot.freesAt),
      headers,
    });
  }

  try {
    const history =
      claim === "mine"
        ? await degradeOnFailure(() => store.loadMessages(owner, conversationId, HISTORY_LIMIT), [])
        : [];
    const userMessage: ChatMessage = { ...input.message, metadata: { createdAt: Date.now() } };
    const prompt = await buildChatPrompt(history, userMessage);
    let reportedTokens: number | undefined;
    const result = streamText({
      model: getChatModel().model,
      ...prompt,
      abortSignal: signal,
      maxRetries: 1,
      onFinish: ({ usage }) => {
        reportedTokens = usage.totalTokens;
      },
      onError: ({ error }) => console.error("[chat] model stream failed", error),
    });

    let finished!: () => void;
    runAfterResponse(new Promise<void>((resolve) => (finished = resolve)));
    const failureText = "The assistant could not finish this reply. Please try again.";
    const uiStream = toUIMessageStream<ToolSet, ChatMessage>({
      stream: result.stream,
      originalMessages: [...history, userMessage],
      generateMessageId: () => crypto.randomUUID(),
      messageMetadata: ({ part }) => (part.type === "start" ? { createdAt: Date.now() } : undefined),
      // Never leak provider internals to the browser.
      onError: () => failureText,
      onEnd: async ({ responseMessage, isAborted }) => {
        try {
          if (claim === "unavailable") return;
          const incomplete = isAborted || reportedTokens === undefined;
          const reply: ChatMessage = {
            ...responseMessage,
            metadata: { ...responseMessage.metadata, incomplete },
          };
          const hasReply = messageText(reply) !== "";
          await store.appendMessages(owner, conversationId, hasReply ? [userMessage, reply] : [userMessage]);
          // An aborted reply reports no usage: estimate it (~4 characters a token) so stopping early is no loophole.
          const tokens =
            reportedTokens ??
            Math.ceil((JSON.stringify(prompt.messages).length + messageText(reply).length) / 4);
          await recordUsage(identity.limitKey, tokens);
          if (claim === "created") {
            const title = await generateConversationTitle(messageText(userMessage), messageText(reply));
            await store.setTitle(owner, conversationId, title);
          }
        } catch (error) {
          console.error("[chat] persisting the exchange failed", error);
        } finally {
          await slot.release().catch(() => {});
          finished();
        }
      },
    });
    return createUIMessageStreamResponse({
      // `no-transform`: no gzip for the event stream, from `next start`'s compression (which skips such
      // responses) or a proxy. Gzipping each token's event separately cost ~27% of the server's CPU in a
      // burst of 1,000 clients (docs/benchmarks.md), for a few bytes saved per event.
      headers: { ...headers, "Cache-Control": "no-cache, no-transform" },
      // A body that breaks mid-stream ends with an error chunk the UI can show, not a silently cut response.
      stream: guardUIMessageStream(uiStream, () => failureText),
      // Reads a copy of the stream to its end, so onEnd (persistence, slot release) runs even if the client left.
      consumeSseStream: consumeStream,
    });
  } catch (error) {
    await slot.release().catch(() => {});
    throw error;
  }
}
