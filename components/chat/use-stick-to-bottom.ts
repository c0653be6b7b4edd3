// Keeps the transcript on the newest text while the reader is at the bottom, lets go the moment they scroll up,
// and says when they are away from the bottom (for the "scroll to latest" button).
import { useCallback, useEffect, useRef, useState } from "react";

/** Within this distance of the end counts as "at the bottom" (re-attaches, hides the button). */
const NEAR_BOTTOM_PX = 40;

const distanceToBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight;

export function useStickToBottom() {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLElement>(null);
  const pinned = useRef(true);
  const lastTop = useRef(0);
  const [away, setAway] = useState(false);

  const scrollToBottom = useCallback((behavior: ScrollBehavior = "auto") => {
    const el = scrollerRef.current;
    pinned.current = true;
    setAway(false);
    if (el) el.scrollTo({ top: el.scrollHeight, behavior });
    if (el && behavior === "auto") lastTop.current = el.scrollTop;
  }, []);

  // Content grows without scroll events (words streaming in, a code block being highlighted, a notice):
  // follow it while pinned, before the frame is painted.
  useEffect(() => {
    const el = scrollerRef.current;
    const content = contentRef.current;
    if (!el || !content) return;
    const onResize = () => {
      if (pinned.current) {
        el.scrollTop = el.scrollHeight;
        // Our own move is the new reference for "moved up". Its scroll event comes a frame later and can be
        // merged with a reader's scroll in that frame (a phone rotated or its keyboard opening, then a swipe up):
        // compared with the old position, that swipe would not count as up and the view would stay pinned.
        lastTop.current = el.scrollTop;
      } else setAway(distanceToBottom(el) > NEAR_BOTTOM_PX);
    };
    const observer = new ResizeObserver(onResize);
    observer.observe(content);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const distance = distanceToBottom(el);
    const movedUp = el.scrollTop < lastTop.current;
    lastTop.current = el.scrollTop;
    // Moving up lets go, unless the content merely shrank under a pinned view (then it stays at the end).
    if (movedUp && distance > 1) pinned.current = false;
    else if (distance <= NEAR_BOTTOM_PX) pinned.current = true;
    setAway(!pinned.current && distance > NEAR_BOTTOM_PX);
  }, []);

  // A wheel turned upwards lets go at once, even while new words keep pushing the end down.
  const onWheel = useCallback((event: { deltaY: number }) => {
    const el = scrollerRef.current;
    if (event.deltaY < 0 && el && el.scrollHeight > el.clientHeight) pinned.current = false;
  }, []);

  return { scrollerRef, contentRef, away, onScroll, onWheel, scrollToBottom };
}
