// Chat state for one conversation: useChat + history loading + 429/402/error handling, kept out of the views.
"use client";

import { Chat, useChat } from "@ai-sdk/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiHttpError, api, type ChatMessage, messageText } from "@/components/api";
import { focusComposer } from "@/components/focus";
import {
  type Blocked,
  blockedFromError,
  classifyChatError,
  createChatTransport,
  describeChatError,
  MAX_MESSAGE_CHARS,
  type Paywall,
  paywallFromError,
} from "./transport";
import { useStoredDraft } from "./use-stored-draft";

export type RateLimitNotice = { text: string; until: number };
export type { Blocked, Paywall };
/** An inline error bubble. `retry` re-sends `text`; with `messageId` it replaces that unsent user message. */
export type ChatFailure = { message: string; retry?: { text: string; messageId?: string } };
export type LoadState = "loading" | "ready" | "error";

type Options = {
  conversationId: string;
  /** True for a chat created on this page: there is no history to fetch. Read once, on mount. */
  isNew: boolean;
  onSend: (conversationId: string) => void;
  onSettled: (result: { ok: boolean }) => void;
  /** The conversation in the URL doesn't exist (or isn't ours): the parent starts a fresh one. */
  onMissing: () => void;
};

/** One conversation's chat. Mount it once per conversation (key the view by id): the Chat is created once. */
export function useChatSession({ conversationId, isNew, onSend, onSettled, onMissing }: Options) {
  const [draft, setDraft] = useStoredDraft(conversationId);
  const [loadState, setLoadState] = useState<LoadState>(isNew ? "ready" : "loading");
  const [rateLimit, setRateLimit] = useState<RateLimitNotice | null>(null);
  const [paywall, setPaywall] = useState<Paywall | null>(null);
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const [failure, setFailure] = useState<ChatFailure | null>(null);
  const [incompleteIds, setIncompleteIds] = useState<ReadonlySet<string>>(() => new Set());
  const initiallyNew = useRef(isNew);
  const settledRef = useRef(onSettled);
  useEffect(() => {
    settledRef.current = onSettled;
  }, [onSettled]);

  // Our own Chat instance so the callbacks read its live `messages`, not a possibly stale render snapshot.
  const [instance] = useState(() => {
    const markIncomplete = (id: string) => setIncompleteIds((ids) => new Set(ids).add(id));
    /** Puts refused text back in the composer without clobbering anything typed since. */
    const restoreDraft = (text: string) => {
      if (text) setDraft((current) => (current.trim() ? `${text}\n\n${current}` : text));
    };
    const lastUserText = () => {
      const user = instance.messages.findLast((m) => m.role === "user");
      return { user, text: user ? messageText(user) : "" };
    };
    const { transport, progress } = createChatTransport();
    const instance: Chat<ChatMessage> = new Chat<ChatMessage>({
      id: conversationId,
      transport,
      onError: (error) => {
        const kind = classifyChatError(error);
        const last = instance.messages.at(-1);
        if (kind === "retryable") {
          const partial = last?.role === "assistant" ? last : undefined;
          if (partial) markIncomplete(partial.id);
          const { user, text } = lastUserText();
          // Before a 2xx the server stored nothing: Retry re-sends the same message (same id) in place.
          // After it (stream cut), the server keeps the user message + partial reply: Retry asks anew.
          const unsentId = progress.responded ? undefined : user?.id;
          const retry = text ? { text, messageId: unsentId } : undefined;
          setFailure({ message: describeChatError(error, Boolean(partial)), retry });
          return;
        }
        // Refused before streaming: the server stored nothing, so drop the optimistic user message.
        let text = "";
        if (last?.role === "user") {
          text = messageText(last);
          instance.messages = instance.messages.filter((m) => m.id !== last.id);
        }
        if (kind === "rate_limited") {
          const seconds = Math.max(1, error instanceof ApiHttpError ? (error.retryAfterSeconds ?? 1) : 1);
          setRateLimit({ text, until: Date.now() + seconds * 1000 });
        } else if (kind === "payment_required") {
          restoreDraft(text);
          setPaywall(paywallFromError(error));
        } else if (kind === "blocked") {
          restoreDraft(text);
          setBlocked(blockedFromError(error));
        } else {
          restoreDraft(text);
          setFailure({ message: error.message });
        }
      },
      onFinish: ({ message, isAbort, isError }) => {
        const ok = !isAbort && !isError;
        const pushed = message.role === "assistant" && instance.messages.some((m) => m.id === message.id);
        if (isAbort && pushed) markIncomplete(message.id);
        const unfinished = message.parts.some((part) => part.type === "text" && part.state === "streaming");
        if (ok && pushed && unfinished) {
          // The stream closed in the middle of a text part (no text-end/finish): treat it as cut off.
          markIncomplete(message.id);
          const { text } = lastUserText();
          setFailure({ message: describeChatError(null, true), retry: text ? { text } : undefined });
        } else if (ok) {
          setRateLimit(null);
          setBlocked(null);
        }
        settledRef.current({ ok });
      },
    });
    return instance;
  });
  useEffect(() => () => void instance.stop(), [instance]);

  const chat = useChat<ChatMessage>({ chat: instance });
  const { messages, status, setMessages, sendMessage, stop } = chat;
  const busy = status === "submitted" || status === "streaming";

  const loadHistory = useCallback(() => {
    let cancelled = false;
    setLoadState("loading");
    api
      .getConversation(conversationId)
      .then((conversation) => {
        if (cancelled) return;
        setMessages(conversation.messages);
        setLoadState("ready");
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const missing = error instanceof ApiHttpError && error.status === 404;
        // 404: never stored (reloaded before the first send) or not ours — start a fresh conversation.
        setLoadState(missing ? "ready" : "error");
        if (missing) onMissing();
      });
    return () => {
      cancelled = true;
    };
  }, [conversationId, setMessages, onMissing]);

  useEffect(() => {
    if (!initiallyNew.current) return loadHistory();
  }, [loadHistory]);

  const submit = useCallback(
    (text: string, messageId?: string) => {
      setFailure(null);
      setBlocked(null);
      onSend(conversationId);
      void sendMessage(messageId ? { text, messageId } : { text });
    },
    [conversationId, onSend, sendMessage],
  );

  /** Sends the composer text; returns false (keeping the draft) when it can't be sent now. */
  const send = useCallback(
    (raw: string): boolean => {
      const text = raw.trim();
      if (!text || text.length > MAX_MESSAGE_CHARS || busy || loadState !== "ready") return false;
      // A user message that never reached the server (failed before streaming) is dropped, not duplicated.
      const unsent = failure?.retry?.messageId;
      if (unsent) setMessages((list) => list.filter((m) => m.id !== unsent));
      submit(text);
      return true;
    },
    [busy, loadState, failure, setMessages, submit],
  );

  const retry = useCallback(() => {
    if (!failure?.retry || busy) return;
    const { text, messageId } = failure.retry;
    const stillLast = messageId !== undefined && messages.at(-1)?.id === messageId;
    submit(text, stillLast ? messageId : undefined);
    focusComposer();
  }, [failure, busy, messages, submit]);

  const sendAgain = useCallback(() => {
    if (!rateLimit || busy || rateLimit.until > Date.now()) return;
    const { text } = rateLimit;
    setRateLimit(null);
    if (text) submit(text);
    focusComposer();
  }, [rateLimit, busy, submit]);

  return {
    messages,
    status,
    busy,
    loadState,
    reload: loadHistory,
    draft,
    setDraft,
    send,
    stop: () => {
      void stop();
      focusComposer();
    },
    rateLimit,
    sendAgain,
    paywall,
    closePaywall: () => setPaywall(null),
    blocked,
    dismissBlocked: () => {
      setBlocked(null);
      focusComposer();
    },
    failure,
    retry,
    dismissFailure: () => setFailure(null),
    incompleteIds,
  };
}
