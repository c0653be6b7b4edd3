// Streams the assistant's reply for one user message and persists the exchange, usage and title when it ends.
import { streamText } from "ai";
import { getChatModel } from "../ai/model";
import { buildChatPrompt, messageText } from "../ai/prompt";
import { generateConversationTitle } from "../ai/title";
import { recordUsage } from "../credits";
import { runAfterResponse } from "../http/background";
import { ApiError } from "../http/errors";
import type { Identity } from "../identity/identify";
import { acquireStreamSlot, SLOT_LEASE_MS } from "../ratelimit/concurrency";
import { rateLimitedError, secondsUntil } from "../ratelimit/headers";
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
  const claim = await store.claim(owner, conversationId);
  if (claim === "taken") throw new ApiError("not_found", "No conversation with this id.");

  const slot = await acquireStreamSlot(identity.limitKey);
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
    const history = claim === "created" ? [] : await store.loadMessages(owner, conversationId, HISTORY_LIMIT);
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
    return result.toUIMessageStreamResponse<ChatMessage>({
      headers,
      originalMessages: [...history, userMessage],
      generateMessageId: () => crypto.randomUUID(),
      messageMetadata: ({ part }) => (part.type === "start" ? { createdAt: Date.now() } : undefined),
      // Never leak provider internals to the browser.
      onError: () => "The assistant could not finish this reply. Please try again.",
      onFinish: async ({ responseMessage, isAborted }) => {
        try {
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
  } catch (error) {
    await slot.release().catch(() => {});
    throw error;
  }
}
