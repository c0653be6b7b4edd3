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

export function useConversationHistory({ conversationId, isNew, onLoaded, keptHere }: Options) {
  const [loadState, setLoadState] = useState<LoadState>(isNew ? "ready" : "loading");
  const initiallyNew = useRef(isNew);

  const load = useCallback(() => {
    let cancelled = false;
    if (!CONVERSATION_ID_PATTERN.test(conversationId)) {
      setLoadState("missing"); // a mistyped link: no such conversation can exist
      return;
    }
    setLoadState("loading");
    api
      .getConversation(conversationId)
      .then((conversation) => {
        if (cancelled) return;
        onLoaded(conversation.messages);
        setLoadState("ready");
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        // 404 with something kept here: a new chat whose first message was refused (or one deleted
        // meanwhile) — it starts again from what this browser kept. Otherwise: the link leads nowhere.
        const missing = error instanceof ApiHttpError && error.status === 404;
        setLoadState(!missing ? "error" : keptHere() ? "ready" : "missing");
      });
    return () => {
      cancelled = true;
    };
  }, [conversationId, onLoaded, keptHere]);

  useEffect(() => {
    if (!initiallyNew.current) return load();
  }, [load]);

  return { loadState, reload: load, initiallyNew: initiallyNew.current };
}
