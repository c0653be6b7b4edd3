// Text for the chat's one polite live region: set only when something happens, never on a timer tick.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";

export function useAnnouncer() {
  const [announcement, setAnnouncement] = useState("");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  /** Empties the region first, so the same sentence said twice is announced twice. */
  const announce = useCallback((text: string) => {
    window.clearTimeout(timer.current);
    setAnnouncement("");
    timer.current = window.setTimeout(() => setAnnouncement(text), 150);
  }, []);
  return { announcement, announce };
}
