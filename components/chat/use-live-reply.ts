// Keeps a conversation's tab live: a reply being written (sent from another tab, or before a reload, or while
// the network was down) is picked up and followed; looked for every second while the tab is visible and idle.
"use client";

import { useEffect, useRef } from "react";
import type { FollowOutcome } from "./transport";

/** How often an idle, visible tab asks whether a reply is being written (one store read each). */
export const LOOK_EVERY_MS = 1_000;

type Options = {
  /** Looks once and follows what it finds to its end. */
  follow: () => Promise<FollowOutcome>;
  /** Idle (nothing sent or streaming) and showing a conversation the server has. */
  active: boolean;
  /** A look found nothing after the connection to a reply had dropped: the tab reloads the stored turn. */
  onNothingAfterDrop: () => void;
};

export function useLiveReply({ follow, active, onNothingAfterDrop }: Options) {
  const dropped = useRef(false);
  const live = useRef({ follow, onNothingAfterDrop });
  useEffect(() => {
    live.current = { follow, onNothingAfterDrop };
  }, [follow, onNothingAfterDrop]);

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let looking = false;
    let timer: number | undefined;
    const look = async () => {
      window.clearTimeout(timer);
      if (cancelled || looking) return;
      // A hidden tab looks again once shown; an offline one once back online.
      if (document.visibilityState === "visible" && navigator.onLine) {
        looking = true;
        const outcome = await live.current.follow();
        looking = false;
        if (outcome === "none" && dropped.current) live.current.onNothingAfterDrop();
        if (outcome !== "failed") dropped.current = false;
      }
      if (!cancelled) timer = window.setTimeout(look, LOOK_EVERY_MS);
    };
    void look();
    const wake = () => void look();
    document.addEventListener("visibilitychange", wake);
    window.addEventListener("online", wake);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
      document.removeEventListener("visibilitychange", wake);
      window.removeEventListener("online", wake);
    };
  }, [active]);

  return {
    /** The connection to a reply dropped: the next look that finds nothing reloads the stored turn. */
    markDropped: () => {
      dropped.current = true;
    },
  };
}
