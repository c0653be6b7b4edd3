// The scrollable transcript: messages, a "thinking" indicator, the inline notices where the reply would be, and
// a "scroll to latest" button while the reader is up in the history.
import { type ReactNode, useEffect } from "react";
import type { ChatMessage } from "@/components/api";
import { focusComposer } from "@/components/focus";
import { MessageItem, type TurnActions } from "./message-item";
import { useStickToBottom } from "./use-stick-to-bottom";

type Props = {
  messages: ChatMessage[];
  status: string;
  incompleteIds: ReadonlySet<string>;
  empty: ReactNode;
  /** Inline notices (429 / error bubbles) rendered after the messages. */
  hasNotices: boolean;
  /** Edit / regenerate for the last turn; absent while they can't be used (a reply streams, messages are held). */
  lastTurn?: Required<TurnActions>;
  children?: ReactNode;
};

export function MessageList({
  messages,
  status,
  incompleteIds,
  empty,
  hasNotices,
  lastTurn,
  children,
}: Props) {
  const { scrollerRef, contentRef, away, onScroll, onWheel, scrollToBottom } = useStickToBottom();
  const streaming = status === "streaming";
  const waiting = status === "submitted" && messages.at(-1)?.role === "user";

  // A message the user just sent always brings the view back down, wherever they were reading.
  const last = messages.at(-1);
  const sentId = last?.role === "user" ? last.id : null;
  useEffect(() => {
    if (sentId) scrollToBottom();
  }, [sentId, scrollToBottom]);

  const lastUser = messages.findLastIndex((m) => m.role === "user");
  const lastReply = messages.findLastIndex((m) => m.role === "assistant");

  const jumpToLatest = () => {
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    scrollToBottom(reduced ? "auto" : "smooth");
    focusComposer();
  };

  return (
    <div className="scroller-wrap">
      <div className="scroller" ref={scrollerRef} onScroll={onScroll} onWheel={onWheel}>
        <section className="transcript" aria-label="Messages" ref={contentRef}>
          {messages.length === 0 && !hasNotices && !waiting ? (
            empty
          ) : (
            // A polite log, busy while a reply streams so screen readers read it once it's complete.
            <div
              role="log"
              aria-live="polite"
              aria-relevant="additions text"
              aria-busy={status !== "ready" && status !== "error"}
            >
              {messages.map((message, index) => (
                <MessageItem
                  key={message.id}
                  message={message}
                  incomplete={incompleteIds.has(message.id)}
                  streaming={streaming && index === messages.length - 1 && message.role === "assistant"}
                  onEdit={index === lastUser ? lastTurn?.onEdit : undefined}
                  onRegenerate={
                    index === lastReply && lastReply > lastUser ? lastTurn?.onRegenerate : undefined
                  }
                />
              ))}
              {waiting && (
                <div className="msg msg-assistant" data-testid="assistant-pending">
                  <div
                    className="bubble bubble-assistant typing"
                    role="img"
                    aria-label="Assistant is thinking"
                  >
                    <span />
                    <span />
                    <span />
                  </div>
                </div>
              )}
            </div>
          )}
          {children}
        </section>
      </div>
      {away && (
        <button
          type="button"
          className="scroll-latest"
          data-testid="scroll-to-latest"
          aria-label="Scroll to latest message"
          title="Scroll to latest message"
          onClick={jumpToLatest}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path
              d="M12 5v14M6 13l6 6 6-6"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
      )}
    </div>
  );
}
