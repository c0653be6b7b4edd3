// Loads a conversation's stored messages, and tells a link that leads nowhere from a chat this browser started.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiHttpError, api, type ChatMessage, CONVERSATION_ID_PATTERN } from "@/components/api";

/** "missing": the conversation in the URL doesn't exist (or isn't ours) and this browser holds nothing for it. */
export type LoadState = "loading" | "ready" | "error" | "missing";

type Options = {
  conversationId: string;
  /** A chat created on this page: nothing to fetch. Read once, on mount. */
  isNew: boolean;
  onLoaded: (messages: ChatMessage[]) => void;
  /** Whether this browser keeps something for the conversation (a draft, held messages). */
  keptHere: () => boolean;
};

/**
 * A store hiccup (503) or a dropped connection is retried by itself, still "Loading…", before the page says it
 * couldn't load: a person opening a conversation shouldn't have to press Try again for a blip that passes in a
 * second. Sooner than the 503's Retry-After (5 s): one read of one conversation, three times at most.
 */
const LOAD_RETRY_DELAYS_MS = [1_000, 2_000, 4_000];

const isTransient = (error: unknown) =>
  error instanceof TypeError || (error instanceof ApiHttpError && error.status === 503);

export function useConversationHistory({ conversationId, isNew, onLoaded, keptHere }: Options) {
  const [loadState, setLoadState] = useState<LoadState>(isNew ? "ready" : "loading");
  const initiallyNew = useRef(isNew);

  const load = useCallback(() => {
    let cancelled = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    if (!CONVERSATION_ID_PATTERN.test(conversationId)) {
      setLoadState("missing"); // a mistyped link: no such conversation can exist
      return;
    }
    setLoadState("loading");
    const attempt = (retries: number) =>
      api
        .getConversation(conversationId)
        .then((conversation) => {
          if (cancelled) return;
          onLoaded(conversation.messages);
          setLoadState("ready");
        })
        .catch((error: unknown) => {
          if (cancelled) return;
          const delay = LOAD_RETRY_DELAYS_MS[retries];
          if (isTransient(error) && delay !== undefined) {
            retryTimer = setTimeout(() => attempt(retries + 1), delay);
            return;
          }
          // 404 with something kept here: a new chat whose first message was refused (or one deleted
          // meanwhile) — it starts again from what this browser kept. Otherwise: the link leads nowhere.
          const missing = error instanceof ApiHttpError && error.status === 404;
          setLoadState(!missing ? "error" : keptHere() ? "ready" : "missing");
        });
    attempt(0);
    return () => {
      cancelled = true;
      clearTimeout(retryTimer);
    };
  }, [conversationId, onLoaded, keptHere]);

  useEffect(() => {
    if (!initiallyNew.current) return load();
  }, [load]);

  return { loadState, reload: load, initiallyNew: initiallyNew.current };
}
