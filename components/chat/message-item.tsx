// One chat message: the user's plain text, or the assistant's markdown (caret while it streams, "incomplete" if
// cut off), with a copy-as-Markdown action once it is complete.
import type { ChatMessage } from "@/components/api";
import { messageText } from "@/components/api";
import { CopyButton } from "./copy-button";
import { MarkdownText } from "./markdown";

type Props = { message: ChatMessage; incomplete: boolean; streaming: boolean };

export function MessageItem({ message, incomplete, streaming }: Props) {
  // Exactly the stored Markdown: the message's text parts, as the server keeps them.
  const text = messageText(message);
  if (message.role === "user") {
    return (
      <article className="msg msg-user" data-testid="message-user" aria-label="You">
        <div className="bubble bubble-user">{text}</div>
        <div className="msg-actions">
          <CopyButton text={() => text} label="Copy message" testId="copy-message" />
        </div>
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
        <MarkdownText text={text} streaming={streaming} />
      </div>
      {showIncomplete && (
        <span className="tag tag-warn" data-testid="incomplete-marker">
          incomplete
        </span>
      )}
      {!streaming && text && (
        <div className="msg-actions">
          <CopyButton text={() => text} label="Copy reply as Markdown" testId="copy-message" />
        </div>
      )}
    </article>
  );
}
