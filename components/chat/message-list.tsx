// The scrollable transcript: messages, a "thinking" indicator, and the inline notices where the reply would be.
import { type ReactNode, useEffect, useRef } from "react";
import type { ChatMessage } from "@/components/api";
import { MessageItem } from "./message-item";

type Props = {
  messages: ChatMessage[];
  status: string;
  incompleteIds: ReadonlySet<string>;
  empty: ReactNode;
  /** Inline notices (429 / error bubbles) rendered after the messages. */
  hasNotices: boolean;
  children?: ReactNode;
};

export function MessageList({ messages, status, incompleteIds, empty, hasNotices, children }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const streaming = status === "streaming";
  const waiting = status === "submitted" && messages.at(-1)?.role === "user";

  // Follow the conversation while the user is at (or near) the bottom; leave them alone if they scrolled up.
  // A message the user just sent always brings the view back down.
  const lastIsUser = messages.at(-1)?.role === "user";
  if (lastIsUser) pinned.current = true;
  useEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  });

  const onScroll = () => {
    const el = scroller.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };

  return (
    <div className="scroller" ref={scroller} onScroll={onScroll}>
      <section className="transcript" aria-label="Messages">
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
              />
            ))}
            {waiting && (
              <div className="msg msg-assistant" data-testid="assistant-pending">
                <div className="bubble bubble-assistant typing" role="img" aria-label="Assistant is thinking">
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
  );
}
