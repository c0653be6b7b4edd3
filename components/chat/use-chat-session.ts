// Chat state for one conversation: useChat, history, the held queue (nothing typed is lost) and how refusals
// (429 wait, 402 paywall, other errors) are shown — kept out of the views.
"use client";

import { Chat, useChat } from "@ai-sdk/react";
import { generateId } from "ai";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiHttpError, api, type ChatMessage, CONVERSATION_ID_PATTERN } from "@/components/api";
import { focusComposer } from "@/components/focus";
import {
  browserStorage,
  forgetFreshChat,
  type HeldMessage,
  hasContent,
  writeFreshChat,
} from "@/lib/chat-client/held-store";
import {
  type Refusal,
  refusalAnnouncement,
  refusalFromBody,
  waitOverAnnouncement,
} from "@/lib/chat-client/refusal-text";
import { messagesCount } from "@/lib/chat-client/time-words";
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
import { useAnnouncer } from "./use-announcer";
import { useLimitHint } from "./use-limit-hint";
import { useSavedChat } from "./use-saved-chat";

export type { Blocked, HeldMessage, Paywall, Refusal };
/** An inline error bubble; `retry` sends the held message again, or asks for a new answer to a cut-off one. */
export type ChatFailure = { message: string; retry?: HeldMessage | "regenerate" };
/** "missing": the conversation in the URL doesn't exist (or isn't ours) and this browser holds nothing for it. */
export type LoadState = "loading" | "ready" | "error" | "missing";
/** off: held messages wait for the person; armed: "Send when ready"; draining: sending them now, in order. */
export type SendMode = "off" | "armed" | "draining";

type Options = {
  conversationId: string;
  /** True for a chat created on this page: there is no history to fetch. Read once, on mount. */
  isNew: boolean;
  onSend: (conversationId: string) => void;
  onSettled: (result: { ok: boolean }) => void;
};

/** One conversation's chat. Mount it once per conversation (key the view by id): the Chat is created once. */
export function useChatSession({ conversationId, isNew, onSend, onSettled }: Options) {
  const { saved, update, current: savedNow } = useSavedChat(conversationId);
  const [loadState, setLoadState] = useState<LoadState>(isNew ? "ready" : "loading");
  const [mode, setMode] = useState<SendMode>("off");
  const [inFlightId, setInFlightId] = useState<string | null>(null);
  const [paywall, setPaywall] = useState<Paywall | null>(null);
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const [failure, setFailure] = useState<ChatFailure | null>(null);
  const [incompleteIds, setIncompleteIds] = useState<ReadonlySet<string>>(() => new Set());
  const { announcement, announce } = useAnnouncer();
  const limits = useLimitHint();
  const initiallyNew = useRef(isNew);
  /** The held message being sent, and the transcript before it, to put back if it is refused. */
  const flight = useRef<{ item: HeldMessage; before: ChatMessage[] } | null>(null);
  const live = useRef({ onSettled, mode, reload: () => {} });
  useEffect(() => {
    live.current.onSettled = onSettled;
    live.current.mode = mode;
  }, [onSettled, mode]);

  // Our own Chat instance so the callbacks read its live `messages`, not a possibly stale render snapshot.
  const [instance] = useState(() => {
    const markIncomplete = (id: string) => setIncompleteIds((ids) => new Set(ids).add(id));
    const unhold = (id: string) => update((s) => ({ ...s, held: s.held.filter((h) => h.id !== id) }));
    /** Puts text back in the composer without clobbering anything typed since. */
    const restoreDraft = (text: string) =>
      update((s) => ({ ...s, draft: s.draft.trim() ? `${text}\n\n${s.draft}` : text }));
    const land = () => {
      const landed = flight.current;
      flight.current = null;
      setInFlightId(null);
      return landed;
    };
    const { transport, progress } = createChatTransport((answer) => {
      limits.observe(answer);
      // Admitted: the server has the message now (it saves the turn before the reply ends).
      const sent = flight.current?.item.id;
      if (answer.ok && sent) update((s) => ({ ...s, held: s.held.filter((h) => h.id !== sent), wait: null }));
      if (answer.ok) setBlocked(null);
    });
    const instance: Chat<ChatMessage> = new Chat<ChatMessage>({
      id: conversationId,
      transport,
      onError: (error) => {
        const landed = land();
        const kind = classifyChatError(error);
        if (kind === "retryable") {
          setMode("off");
          if (progress.responded) {
            // The server keeps the message and the partial reply: Retry asks for a new answer to it.
            const partial = instance.messages.at(-1);
            if (partial?.role === "assistant") markIncomplete(partial.id);
            setFailure({
              message: describeChatError(error, partial?.role === "assistant"),
              retry: "regenerate",
            });
            return;
          }
          // Never reached the server: the message stays held (and in view, for a send) until Retry.
          if (landed && landed.item.intent !== "send") instance.messages = landed.before;
          setFailure({ message: describeChatError(error, false), retry: landed?.item });
          return;
        }
        // Refused before streaming: the server stored nothing, so the transcript goes back to what it was.
        const item = landed?.item;
        if (landed) instance.messages = landed.before.filter((m) => m.id !== landed.item.id);
        if (kind === "rate_limited") {
          const refusal = refusalFromBody(
            error instanceof ApiHttpError ? error.body : null,
            error instanceof ApiHttpError ? error.retryAfterSeconds : undefined,
            Date.now(),
          );
          update((s) => ({ ...s, wait: refusal }));
          // "Send when ready" stays armed through a new refusal; a plain send just waits, held.
          setMode((m) => (m === "armed" ? "armed" : "off"));
          announce(refusalAnnouncement(refusal, savedNow.current.held.length, Date.now()));
        } else if (kind === "payment_required") {
          setMode("off");
          // A send's text goes back in the composer; an edit or a new answer stays held, with its intent.
          const kept = !item || item.intent === "send" ? "composer" : "held";
          if (item && kept === "composer") {
            unhold(item.id);
            restoreDraft(item.text);
          }
          setPaywall(paywallFromError(error, kept));
        } else if (kind === "blocked") {
          // An operator's block: its own notice; the text goes back in the composer, not held for later.
          setMode("off");
          if (item) unhold(item.id);
          if (item?.text) restoreDraft(item.text);
          setBlocked(blockedFromError(error));
        } else {
          setMode("off");
          if (item) unhold(item.id);
          // 409 to a send: this very message was received already (another tab, or before a reload).
          if (error instanceof ApiHttpError && error.status === 409 && item?.intent === "send") {
            live.current.reload();
            return;
          }
          if (item?.text) restoreDraft(item.text);
          setFailure({ message: error.message });
        }
      },
      onFinish: ({ message, isAbort, isError }) => {
        const landed = land();
        const ok = !isAbort && !isError;
        if (isAbort && landed && !progress.responded) {
          // Stopped before the server answered: back to the held list, where Send now or Remove decide.
          instance.messages = landed.before.filter((m) => m.id !== landed.item.id);
          setMode("off");
        }
        const pushed = message.role === "assistant" && instance.messages.some((m) => m.id === message.id);
        if (isAbort && pushed) markIncomplete(message.id);
        const unfinished = message.parts.some((part) => part.type === "text" && part.state === "streaming");
        if (ok && pushed && unfinished) {
          // The stream closed in the middle of a text part (no text-end/finish): treat it as cut off.
          markIncomplete(message.id);
          setMode("off");
          setFailure({ message: describeChatError(null, true), retry: "regenerate" });
        }
        live.current.onSettled({ ok });
      },
    });
    return instance;
  });
  useEffect(() => () => void instance.stop(), [instance]);

  const chat = useChat<ChatMessage>({ chat: instance });
  const { messages, status, setMessages, stop } = chat;
  const busy = status === "submitted" || status === "streaming";

  const loadHistory = useCallback(() => {
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
        setMessages(conversation.messages);
        // Held messages the server already has (admitted just before a reload) are not held any more.
        const stored = new Set(conversation.messages.map((m) => m.id));
        update((s) => ({ ...s, held: s.held.filter((h) => !stored.has(h.id)) }));
        setLoadState("ready");
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        // 404 with something held here: a new chat whose first message was refused (or one deleted
        // meanwhile) — it starts again from what this browser kept. Otherwise: the link leads nowhere.
        const missing = error instanceof ApiHttpError && error.status === 404;
        setLoadState(!missing ? "error" : hasContent(savedNow.current) ? "ready" : "missing");
      });
    return () => {
      cancelled = true;
    };
  }, [conversationId, setMessages, update, savedNow]);
  useEffect(() => {
    live.current.reload = loadHistory;
  }, [loadHistory]);

  useEffect(() => {
    if (!initiallyNew.current) return loadHistory();
  }, [loadHistory]);

  // A new chat's unsent draft comes back after a reload (it is not in the URL until its first send).
  useEffect(() => {
    if (initiallyNew.current && messages.length === 0 && saved.held.length === 0 && saved.draft.trim())
      writeFreshChat(browserStorage(), conversationId);
  }, [conversationId, messages.length, saved.held.length, saved.draft]);

  const submit = useCallback(
    (item: HeldMessage) => {
      if (flight.current) return;
      setFailure(null);
      setBlocked(null);
      const before = instance.messages;
      flight.current = { item, before };
      setInFlightId(item.id);
      onSend(conversationId);
      forgetFreshChat(browserStorage(), conversationId);
      const rest = before.filter((m) => m.id !== item.id);
      const parts = [{ type: "text" as const, text: item.text }];
      if (item.intent === "regenerate") {
        instance.messages = rest;
        void instance.regenerate();
      } else if (item.intent === "edit") {
        instance.messages = rest.slice(
          0,
          Math.max(
            0,
            rest.findLastIndex((m) => m.role === "user"),
          ),
        );
        void instance.sendMessage({ id: item.id, role: "user", parts }, { body: { intent: "edit" } });
      } else {
        instance.messages = rest;
        void instance.sendMessage({ id: item.id, role: "user", parts });
      }
    },
    [conversationId, instance, onSend],
  );

  // Held messages go out one at a time, oldest first, while sending is on and nothing stands in the way.
  const waiting = saved.wait !== null;
  useEffect(() => {
    if (mode === "off" || busy || waiting || loadState !== "ready" || flight.current) return;
    const next = saved.held[0];
    if (next) submit(next);
    else setMode("off");
  }, [mode, busy, waiting, loadState, saved.held, submit]);

  // The wait ends: say so once, and let the held messages go if "Send when ready" is on.
  const until = saved.wait?.until;
  useEffect(() => {
    if (until === undefined) return;
    const timer = window.setTimeout(
      () => {
        update((s) => ({ ...s, wait: null }));
        const held = savedNow.current.held.length;
        announce(waitOverAnnouncement(held, live.current.mode === "armed"));
      },
      Math.max(0, until - Date.now()),
    );
    return () => window.clearTimeout(timer);
  }, [until, update, savedNow, announce]);

  /** Queues a message behind those held: it goes at once when nothing is ahead of it and no wait is on. */
  const enqueue = useCallback(
    (item: HeldMessage) => {
      // A send that never reached the server leaves the transcript and goes back first in line.
      const unsent = failure?.retry;
      if (unsent && unsent !== "regenerate") setMessages((list) => list.filter((m) => m.id !== unsent.id));
      setFailure(null);
      const ahead = savedNow.current;
      update((s) => ({ ...s, held: [...s.held, item] }));
      if (ahead.wait) {
        const count = ahead.held.length + 1;
        announce(`Held, not sent: ${messagesCount(count)} waiting until you can send again.`);
      } else if (ahead.held.length === 0 && !flight.current && !busy) submit(item);
      else setMode((m) => (m === "off" ? "draining" : m));
    },
    [failure, busy, setMessages, update, savedNow, announce, submit],
  );

  /** Sends the composer text; false (keeping the draft) when it can't be sent. A wait never stops it. */
  const send = useCallback(
    (raw: string): boolean => {
      const text = raw.trim();
      if (!text || text.length > MAX_MESSAGE_CHARS || busy || loadState !== "ready") return false;
      enqueue({ id: generateId(), intent: "send", text });
      return true;
    },
    [busy, loadState, enqueue],
  );

  const held = saved.held.filter((h) => h.id !== inFlightId && !messages.some((m) => m.id === h.id));
  /** Regenerate and edit act on the last stored turn: not while a reply streams or messages are held. */
  const canRewrite =
    loadState === "ready" && !busy && saved.held.length === 0 && messages.some((m) => m.role === "user");

  return {
    messages,
    status,
    busy,
    loadState,
    reload: loadHistory,
    draft: saved.draft,
    setDraft: useCallback((draft: string) => update((s) => ({ ...s, draft })), [update]),
    send,
    stop: () => {
      void stop();
      focusComposer();
    },
    held,
    wait: saved.wait,
    mode,
    removeHeld: useCallback(
      (id: string) => update((s) => ({ ...s, held: s.held.filter((h) => h.id !== id) })),
      [update],
    ),
    /** One click arms "Send when ready", the next cancels it. */
    toggleSendWhenReady: () => setMode((m) => (m === "off" ? "armed" : "off")),
    sendNow: () => setMode("draining"),
    canRewrite,
    regenerate: () => {
      if (canRewrite) enqueue({ id: generateId(), intent: "regenerate", text: "" });
    },
    edit: (raw: string): boolean => {
      const text = raw.trim();
      if (!canRewrite || !text || text.length > MAX_MESSAGE_CHARS) return false;
      enqueue({ id: generateId(), intent: "edit", text });
      return true;
    },
    paywall,
    closePaywall: () => setPaywall(null),
    blocked,
    dismissBlocked: () => {
      setBlocked(null);
      focusComposer();
    },
    failure,
    retry: () => {
      const again = failure?.retry;
      if (!again || busy) return;
      if (again === "regenerate") enqueue({ id: generateId(), intent: "regenerate", text: "" });
      else {
        setFailure(null);
        setMode("draining");
      }
      focusComposer();
    },
    dismissFailure: () => setFailure(null),
    incompleteIds,
    announcement,
    limitHint: limits.hint,
  };
}
