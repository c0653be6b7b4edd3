// One chat message: the user's plain text, or the assistant's markdown with an "incomplete" label if cut off.
import type { ChatMessage } from "@/components/api";
import { messageText } from "@/components/api";
import { MarkdownText } from "./markdown";

type Props = { message: ChatMessage; incomplete: boolean; streaming: boolean };

export function MessageItem({ message, incomplete, streaming }: Props) {
  const text = messageText(message);
  if (message.role === "user") {
    return (
      <article className="msg msg-user" data-testid="message-user" aria-label="You">
        <div className="bubble bubble-user">{text}</div>
      </article>
    );
  }
  if (message.role !== "assistant") return null;
  const showIncomplete = incomplete || message.metadata?.incomplete === true;
  return (
    <article
      className="msg msg-assistant"
      data-testid="message-assistant"
      aria-label="Assistant"
      aria-busy={streaming || undefined}
    >
      <div className="bubble bubble-assistant markdown">
        <MarkdownText text={text} />
        {streaming && <span className="caret" aria-hidden="true" />}
      </div>
      {showIncomplete && (
        <span className="tag tag-warn" data-testid="incomplete-marker">
          incomplete
        </span>
      )}
    </article>
  );
}
