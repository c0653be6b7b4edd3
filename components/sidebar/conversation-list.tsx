// Conversation list: switch by link (?c=id, so open-in-new-tab works too) and delete with an inline confirm.
import { type KeyboardEvent, type MouseEvent, useCallback, useState } from "react";
import type { ConversationSummary } from "@/components/api";

type Props = {
  conversations: ConversationSummary[] | null;
  failed: boolean;
  currentId: string | null;
  onSelect: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
};

export function ConversationList({ conversations, failed, currentId, onSelect, onDelete }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  // Stable, so the confirm's Cancel button takes focus once when it appears, not on every re-render.
  const focusOnMount = useCallback((el: HTMLButtonElement | null) => el?.focus(), []);

  const open = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    onSelect(id);
  };
  const remove = async (id: string) => {
    setDeleting(id);
    try {
      await onDelete(id);
    } finally {
      setDeleting(null);
      setConfirming(null);
    }
  };

  /** Back to the trash button it came from, so keyboard users don't lose their place. */
  const cancel = () => {
    const id = confirming;
    setConfirming(null);
    window.requestAnimationFrame(() =>
      document
        .querySelector<HTMLElement>(
          `[data-conversation-id="${CSS.escape(id ?? "")}"] [data-testid="delete-conversation"]`,
        )
        ?.focus(),
    );
  };
  const onConfirmKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") cancel();
  };

  if (!conversations) {
    return <p className="muted side-note">{failed ? "Couldn't load conversations." : "Loading…"}</p>;
  }
  return (
    <ul className="conv-list" data-testid="conversation-list">
      {conversations.length === 0 && <li className="muted side-note">No conversations yet.</li>}
      {conversations.map((c) => {
        const title = c.title.trim() || "New chat";
        return (
          <li key={c.id} className="conv-item" data-testid="conversation-item" data-conversation-id={c.id}>
            {confirming === c.id ? (
              <div className="conv-confirm">
                <span className="conv-confirm-text">Delete “{title}”?</span>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  data-testid="confirm-delete"
                  disabled={deleting === c.id}
                  onKeyDown={onConfirmKey}
                  onClick={() => void remove(c.id)}
                >
                  Delete
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  data-testid="cancel-delete"
                  ref={focusOnMount}
                  onKeyDown={onConfirmKey}
                  onClick={cancel}
                >
                  Cancel
                </button>
              </div>
            ) : (
              <>
                <a
                  href={`/?c=${encodeURIComponent(c.id)}`}
                  className="conv-link"
                  aria-current={c.id === currentId ? "page" : undefined}
                  onClick={(event) => open(event, c.id)}
                  title={title}
                >
                  {title}
                </a>
                <button
                  type="button"
                  className="icon-btn conv-delete"
                  data-testid="delete-conversation"
                  aria-label={`Delete conversation “${title}”`}
                  onClick={() => setConfirming(c.id)}
                >
                  <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                    <path
                      d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"
                      fill="none"
                      stroke="currentColor"
                      strokeWidth="1.8"
                      strokeLinecap="round"
                      strokeLinejoin="round"
                    />
                  </svg>
                </button>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
