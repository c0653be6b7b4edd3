// One conversation's draft, held messages and wait, mirrored in localStorage so a reload loses none of them.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { browserStorage, readSavedChat, type SavedChat, writeSavedChat } from "@/lib/chat-client/held-store";

/**
 * Like useState, read once from storage and written back on every change. `current` always holds the newest
 * value, for callbacks that run outside React's render (the Chat's onError / onFinish).
 */
export function useSavedChat(conversationId: string) {
  const [saved, setSaved] = useState<SavedChat>(() =>
    readSavedChat(browserStorage(), conversationId, Date.now()),
  );
  // Only `update` changes the state, and it keeps this copy in step.
  const current = useRef(saved);
  useEffect(() => {
    writeSavedChat(browserStorage(), conversationId, saved, Date.now());
  }, [conversationId, saved]);
  const update = useCallback((change: (saved: SavedChat) => SavedChat) => {
    setSaved((previous) => {
      const next = change(previous);
      current.current = next;
      return next;
    });
  }, []);
  return { saved, update, current };
}
