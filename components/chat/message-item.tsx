// One chat message: the user's plain text, or the assistant's markdown (caret while it streams, "incomplete" if
// cut off), with a copy-as-Markdown action once it is complete; the last turn can be edited or regenerated.
import { useState } from "react";
import type { ChatMessage } from "@/components/api";
import { messageText } from "@/components/api";
import { focusComposer } from "@/components/focus";
import { CopyButton } from "./copy-button";
import { EditForm } from "./edit-form";
import { MarkdownText } from "./markdown";

/** Present only on the last user message (edit) and the reply after it (regenerate), when they may be used. */
export type TurnActions = { onRegenerate?: () => void; onEdit?: (text: string) => boolean };

type Props = { message: ChatMessage; incomplete: boolean; streaming: boolean } & TurnActions;

function EditIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path
        d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function RegenerateIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path
        d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4.5v4h-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function MessageItem({ message, incomplete, streaming, onRegenerate, onEdit }: Props) {
  const [editing, setEditing] = useState(false);
  // Exactly the stored Markdown: the message's text parts, as the server keeps them.
  const text = messageText(message);
  if (message.role === "user") {
    if (editing && onEdit) {
      return (
        <article className="msg msg-user" data-testid="message-user" aria-label="You, editing">
          <EditForm
            initial={text}
            onCancel={() => {
              setEditing(false);
              window.requestAnimationFrame(() =>
                document.querySelector<HTMLElement>("[data-testid='edit-message']")?.focus(),
              );
            }}
            onSubmit={(edited) => {
              const sent = onEdit(edited);
              if (sent) {
                setEditing(false);
                focusComposer();
              }
              return sent;
            }}
          />
        </article>
      );
    }
    return (
      <article className="msg msg-user" data-testid="message-user" aria-label="You">
        <div className="bubble bubble-user">{text}</div>
        <div className="msg-actions">
          <CopyButton text={() => text} label="Copy message" testId="copy-message" />
          {onEdit && (
            <button
              type="button"
              className="icon-btn"
              aria-label="Edit and resend this message"
              title="Edit and resend"
              data-testid="edit-message"
              onClick={() => setEditing(true)}
            >
              <EditIcon />
            </button>
          )}
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
      {!streaming && (text || onRegenerate) && (
        <div className="msg-actions">
          {text && <CopyButton text={() => text} label="Copy reply as Markdown" testId="copy-message" />}
          {onRegenerate && (
            <button
              type="button"
              className="icon-btn"
              aria-label="Regenerate this reply"
              title="Regenerate"
              data-testid="regenerate"
              onClick={() => {
                onRegenerate();
                focusComposer();
              }}
            >
              <RegenerateIcon />
            </button>
          )}
        </div>
      )}
    </article>
  );
}
