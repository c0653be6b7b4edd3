// The held queue's rules: messages go out one at a time, oldest first; a wait holds them; "Send when ready"
// lets them go when it ends; the end of a wait is announced once.
"use client";

import { type Dispatch, type RefObject, type SetStateAction, useCallback, useEffect, useRef } from "react";
import type { HeldMessage, SavedChat } from "@/lib/chat-client/held-store";
import { waitOverAnnouncement } from "@/lib/chat-client/refusal-text";
import { messagesCount } from "@/lib/chat-client/time-words";

/** off: held messages wait for the person; armed: "Send when ready"; draining: sending them now, in order. */
export type SendMode = "off" | "armed" | "draining";

type Options = {
  saved: SavedChat;
  savedNow: RefObject<SavedChat>;
  update: (change: (saved: SavedChat) => SavedChat) => void;
  mode: SendMode;
  setMode: Dispatch<SetStateAction<SendMode>>;
  /** Nothing can go now: a reply streams, or the history is not loaded. */
  blocked: boolean;
  /** A message is on its way. */
  sending: () => boolean;
  submit: (item: HeldMessage) => void;
  announce: (text: string) => void;
};

export function useSendQueue({
  saved,
  savedNow,
  update,
  mode,
  setMode,
  blocked,
  sending,
  submit,
  announce,
}: Options) {
  const modeNow = useRef(mode);
  useEffect(() => {
    modeNow.current = mode;
  }, [mode]);

  // One at a time, oldest first, while sending is on and nothing stands in the way.
  const waiting = saved.wait !== null;
  useEffect(() => {
    if (mode === "off" || blocked || waiting || sending()) return;
    const next = saved.held[0];
    if (next) submit(next);
    else setMode("off");
  }, [mode, blocked, waiting, saved.held, submit, sending, setMode]);

  // The wait ends: say so once; the pump above lets the held messages go if "Send when ready" is on.
  const until = saved.wait?.until;
  useEffect(() => {
    if (until === undefined) return;
    const timer = window.setTimeout(
      () => {
        const afterReplyLimit = savedNow.current.wait?.scope === "concurrency";
        update((s) => ({ ...s, wait: null }));
        announce(
          waitOverAnnouncement(savedNow.current.held.length, modeNow.current === "armed", afterReplyLimit),
        );
      },
      Math.max(0, until - Date.now()),
    );
    return () => window.clearTimeout(timer);
  }, [until, update, savedNow, announce]);

  /** Queues a message behind those held: it goes at once when nothing is ahead of it and no wait is on. */
  const enqueue = useCallback(
    (item: HeldMessage) => {
      const ahead = savedNow.current;
      update((s) => ({ ...s, held: [...s.held, item] }));
      if (ahead.wait) {
        const count = ahead.held.length + 1;
        announce(`Held, not sent: ${messagesCount(count)} waiting until you can send again.`);
      } else if (ahead.held.length === 0 && !sending() && !blocked) submit(item);
      else setMode((m) => (m === "off" ? "draining" : m));
    },
    [savedNow, update, announce, sending, blocked, submit, setMode],
  );

  return {
    enqueue,
    removeHeld: useCallback(
      (id: string) => update((s) => ({ ...s, held: s.held.filter((h) => h.id !== id) })),
      [update],
    ),
    /** One click arms "Send when ready", the next cancels it. */
    toggleSendWhenReady: useCallback(() => setMode((m) => (m === "off" ? "armed" : "off")), [setMode]),
    sendNow: useCallback(() => setMode("draining"), [setMode]),
  };
}
