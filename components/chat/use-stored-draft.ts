// The composer draft of one conversation, kept in sessionStorage so a reload or a sign-in round trip keeps it.
"use client";

import { useEffect, useState } from "react";

const keyFor = (conversationId: string) => `chat-draft:${conversationId}`;

/** Like useState(""), but survives the page going away (a provider's sign-in page, a reload) in this tab. */
export function useStoredDraft(conversationId: string) {
  const key = keyFor(conversationId);
  const [draft, setDraft] = useState(() => {
    try {
      return window.sessionStorage.getItem(key) ?? "";
    } catch {
      return ""; // storage disabled (privacy mode): the draft just lives in memory
    }
  });
  useEffect(() => {
    try {
      if (draft) window.sessionStorage.setItem(key, draft);
      else window.sessionStorage.removeItem(key);
    } catch {
      // Full or disabled storage only loses the copy, never the draft on screen.
    }
  }, [key, draft]);
  return [draft, setDraft] as const;
}
