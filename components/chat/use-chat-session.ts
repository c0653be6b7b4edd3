// Chat state for one conversation: useChat, history, the held queue (nothing typed is lost) and how refusals
// (429 wait, 402 paywall, other errors) are shown — kept out of the views.
"use client";

import { useChat } from "@ai-sdk/react";
import { generateId } from "ai";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiHttpError, api, type ChatMessage, type ModelList } from "@/components/api";
import { focusComposer } from "@/components/focus";
import {
  browserStorage,
  forgetFreshChat,
  type HeldMessage,
  hasContent,
  writeFreshChat,
  writeSavedChat,
} from "@/lib/chat-client/held-store";
import { modelRefusalText } from "@/lib/chat-client/model-choice";
import {
  isModelWait,
  mayAutoSend,
  type Refusal,
  refusalAnnouncement,
  refusalFromBody,
  waitOverAnnouncement,
} from "@/lib/chat-client/refusal-text";
import { createChatInstance } from "./chat-instance";
import { useMessageCap } from "./message-cap";
import { type Blocked, blockedFromError, type Paywall, paywallFromError } from "./transport";
import { useAnnouncer } from "./use-announcer";
import { type LoadState, useConversationHistory } from "./use-conversation-history";
import { useLimitHint } from "./use-limit-hint";
import { useLiveReply } from "./use-live-reply";
import { useSavedChat } from "./use-saved-chat";
import { type SendMode, useSendQueue } from "./use-send-queue";

export type { Blocked, HeldMessage, LoadState, Paywall, Refusal, SendMode };
/** An inline error bubble; `retry` sends the held message again, or asks for a new answer to a cut-off one. */
export type ChatFailure = { message: string; retry?: HeldMessage | "regenerate" };

/**
 * Stop asks the server to stop the reply (whichever instance writes it): the reply then ends in every tab
 * with the words the server stored. Only if that doesn't happen this soon (offline) does this tab stop here.
 */
const STOP_GRACE_MS = 2_000;

type Options = {
  conversationId: string;
  /** True for a chat created on this page: there is no history to fetch. Read once, on mount. */
  isNew: boolean;
  onSend: (conversationId: string) => void;
  onSettled: (result: { ok: boolean }) => void;
  /** The model to send with (null: the server's default for this caller) and the list it comes from. */
  model: string | null;
  models: ModelList | null;
  /** A message was refused for a model outside the caller's plan: the list (who may use what) is stale. */
  onModelRefused: () => void;
};

/** One conversation's chat. Mount it once per conversation (key the view by id): the Chat is created once. */
export function useChatSession({
  conversationId,
  isNew,
  onSend,
  onSettled,
  model,
  models,
  onModelRefused,
}: Options) {
  const { saved, update, current: savedNow } = useSavedChat(conversationId);
  const [mode, setMode] = useState<SendMode>("off");
  const [inFlightId, setInFlightId] = useState<string | null>(null);
  const [paywall, setPaywall] = useState<Paywall | null>(null);
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const [failure, setFailure] = useState<ChatFailure | null>(null);
  /** The last 429, kept past its wait (until a message is admitted) for the words it leaves in the bubble. */
  const [lastRefusal, setLastRefusal] = useState<Refusal | null>(null);
  const [incompleteIds, setIncompleteIds] = useState<ReadonlySet<string>>(() => new Set());
  const { announcement, announce } = useAnnouncer();
  const maxChars = useMessageCap();
  const limits = useLimitHint(model);
  const live = useRef({ onSettled, reload: () => {}, dropped: () => {}, model, models, onModelRefused });
  useEffect(() => {
    live.current.onSettled = onSettled;
    live.current.model = model;
    live.current.models = models;
    live.current.onModelRefused = onModelRefused;
  }, [onSettled, model, models, onModelRefused]);

  const [{ chat: instance, send: sendOne, follow, sending }] = useState(() => {
    const unhold = (id: string) => update((s) => ({ ...s, held: s.held.filter((h) => h.id !== id) }));
    /** Puts text back in the composer without clobbering anything typed since. */
    const restoreDraft = (text: string) =>
      update((s) => ({ ...s, draft: s.draft.trim() ? `${text}\n\n${s.draft}` : text }));
    return createChatInstance(
      conversationId,
      {
        observe: limits.observe,
        flying: setInFlightId,
        // Admitted: no longer held, and whatever wait or block there was is over.
        admitted: (item) => {
          update((s) => ({ ...s, held: s.held.filter((h) => h.id !== item.id), wait: null }));
          setBlocked(null);
          setLastRefusal(null);
        },
        refused: (kind, error, item) => {
          if (kind === "rate_limited") {
            const body = error instanceof ApiHttpError ? error.body : null;
            const retryAfter = error instanceof ApiHttpError ? error.retryAfterSeconds : undefined;
            const refusal = refusalFromBody(body, retryAfter, Date.now());
            update((s) => ({ ...s, wait: refusal }));
            setLastRefusal(refusal);
            // "Send when ready" stays armed through a new refusal, unless its wait is too long to send unattended;
            // a plain send just waits, held.
            setMode((m) => (m === "armed" && mayAutoSend(refusal) ? "armed" : "off"));
            announce(refusalAnnouncement(refusal, savedNow.current.held.length, Date.now()));
            return;
          }
          setMode("off");
          if (kind === "payment_required") {
            // A send's text goes back in the composer; an edit or a new answer stays held, with its intent.
            const kept = !item || item.intent === "send" ? "composer" : "held";
            if (item && kept === "composer") {
              unhold(item.id);
              restoreDraft(item.text);
            }
            setPaywall(paywallFromError(error, kept, item));
            return;
          }
          if (item) unhold(item.id);
          if (kind === "blocked") {
            // An operator's block: its own notice; the text goes back in the composer, not held for later.
            if (item?.text) restoreDraft(item.text);
            setBlocked(blockedFromError(error));
            return;
          }
          if (kind === "model_not_in_plan") {
            // The plan changed under a chosen model (or it never had it): the text goes back in the composer,
            // the notice says which plan has the model, and the picker learns what this caller may use now.
            if (item?.text) restoreDraft(item.text);
            const body = error instanceof ApiHttpError ? error.body : {};
            setFailure({ message: modelRefusalText(body, live.current.models) });
            live.current.onModelRefused();
            return;
          }
          // 409 to a send: this very message was received already (another tab, or before a reload).
          if (error instanceof ApiHttpError && error.status === 409 && item?.intent === "send") {
            live.current.reload();
            return;
          }
          // 409 to an edit or a new answer: another tab added a turn since this one loaded; show what is stored.
          if (
            error instanceof ApiHttpError &&
            "reason" in error.body &&
            error.body.reason === "conversation_changed"
          )
            live.current.reload();
          if (item?.text) restoreDraft(item.text);
          setFailure({ message: error.message });
        },
        failed: (message, retry) => {
          setMode("off");
          setFailure({ message, retry });
        },
        incomplete: (id) => setIncompleteIds((ids) => new Set(ids).add(id)),
        disconnected: () => live.current.dropped(),
        settled: ({ ok, stopped }) => {
          // Stop stops everything: the held messages left wait for the person again.
          if (stopped) setMode("off");
          live.current.onSettled({ ok });
        },
      },
      () => live.current.model,
    );
  });
  useEffect(() => () => void instance.stop(), [instance]);

  const chat = useChat<ChatMessage>({ chat: instance });
  const { messages, status, setMessages, stop } = chat;
  const busy = status === "submitted" || status === "streaming";

  const history = useConversationHistory({
    conversationId,
    isNew,
    onLoaded: useCallback(
      (stored: ChatMessage[]) => {
        setMessages(stored);
        // Held messages the server already has (admitted just before a reload) are not held any more.
        const ids = new Set(stored.map((m) => m.id));
        update((s) => ({ ...s, held: s.held.filter((h) => !ids.has(h.id)) }));
      },
      [setMessages, update],
    ),
    keptHere: useCallback(() => hasContent(savedNow.current), [savedNow]),
  });
  const { loadState, reload: loadHistory, initiallyNew } = history;
  useEffect(() => {
    live.current.reload = loadHistory;
  }, [loadHistory]);

  // Every tab of a conversation the server has is live: a reply being written is picked up and followed.
  const { markDropped } = useLiveReply({
    follow,
    active: loadState === "ready" && !busy && inFlightId === null && (messages.length > 0 || !initiallyNew),
    onNothingAfterDrop: loadHistory,
  });
  useEffect(() => {
    live.current.dropped = markDropped;
  }, [markDropped]);

  // A new chat's unsent draft comes back after a reload (it is not in the URL until its first send).
  useEffect(() => {
    if (initiallyNew && messages.length === 0 && saved.held.length === 0 && saved.draft.trim())
      writeFreshChat(browserStorage(), conversationId);
  }, [initiallyNew, conversationId, messages.length, saved.held.length, saved.draft]);

  const submit = useCallback(
    (item: HeldMessage) => {
      setFailure(null);
      setBlocked(null);
      if (!sendOne(item)) return;
      onSend(conversationId);
      forgetFreshChat(browserStorage(), conversationId);
    },
    [conversationId, sendOne, onSend],
  );

  const queue = useSendQueue({
    saved,
    savedNow,
    update,
    mode,
    setMode,
    blocked: busy || loadState !== "ready",
    sending,
    submit,
    announce,
  });
  /** Queues a message; a send that never reached the server leaves the transcript and goes first in line. */
  const enqueue = useCallback(
    (item: HeldMessage) => {
      const unsent = failure?.retry;
      if (unsent && unsent !== "regenerate") setMessages((list) => list.filter((m) => m.id !== unsent.id));
      setFailure(null);
      queue.enqueue(item);
    },
    [failure, setMessages, queue.enqueue],
  );

  /** Sends the composer text; false (keeping the draft) when it can't be sent. A wait never stops it. */
  const send = useCallback(
    (raw: string): boolean => {
      const text = raw.trim();
      if (!text || text.length > maxChars || busy || loadState !== "ready") return false;
      enqueue({ id: generateId(), intent: "send", text });
      return true;
    },
    [busy, loadState, enqueue, maxChars],
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
      void api.stopReply(conversationId).catch(() => undefined);
      // Nothing answered yet: stop here at once (the message goes back to the held ones).
      if (status === "submitted" || !navigator.onLine) void stop();
      else {
        const replying = instance.lastMessage?.id;
        window.setTimeout(() => {
          const still = instance.status === "streaming" && instance.lastMessage?.id === replying;
          if (still) void instance.stop();
        }, STOP_GRACE_MS);
      }
      focusComposer();
    },
    held,
    wait: saved.wait,
    lastRefusal,
    mode,
    removeHeld: queue.removeHeld,
    /** Another model was chosen: a wait that was the old model's is over for the held messages. */
    modelChanged: () => {
      const { wait, held: heldNow } = savedNow.current;
      if (!wait || !isModelWait(wait)) return;
      update((s) => ({ ...s, wait: null }));
      announce(waitOverAnnouncement(heldNow.length, mode === "armed"));
    },
    toggleSendWhenReady: queue.toggleSendWhenReady,
    sendNow: queue.sendNow,
    canRewrite,
    regenerate: () => {
      if (canRewrite) enqueue({ id: generateId(), intent: "regenerate", text: "" });
    },
    edit: (raw: string): boolean => {
      const text = raw.trim();
      if (!canRewrite || !text || text.length > maxChars) return false;
      enqueue({ id: generateId(), intent: "edit", text });
      return true;
    },
    paywall,
    closePaywall: () => setPaywall(null),
    /** The refused message leaves this conversation (for a new chat, where it costs less): its text. */
    takePaywallText: (): string => {
      if (!paywall?.text) return "";
      const { text, heldId } = paywall;
      const s = savedNow.current;
      const next = {
        ...s,
        held: s.held.filter((h) => h.id !== heldId),
        draft:
          s.draft === text
            ? ""
            : s.draft.startsWith(`${text}\n\n`)
              ? s.draft.slice(text.length + 2)
              : s.draft,
      };
      update(() => next);
      // Written now: the view is replaced by the new chat before the state's own write would run.
      writeSavedChat(browserStorage(), conversationId, next, Date.now());
      return text;
    },
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
