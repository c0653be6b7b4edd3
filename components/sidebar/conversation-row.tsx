// One conversation in the sidebar: a link (?c=id, so open-in-new-tab works), Rename and Delete (with an inline
// confirm). Keyboard focus comes back to the row's link or button when an inline step ends.
import {
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from "react";
import type { ConversationSummary } from "@/components/api";
import { RenameForm } from "./rename-form";

type Props = {
  conversation: ConversationSummary;
  current: boolean;
  onSelect: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
  onRename: (id: string, title: string) => Promise<void>;
  /** The list is out of date (a conversation was found deleted): fetch it again. */
  onStale: () => void;
};

type Mode = "view" | "rename" | "confirm-delete";

const iconProps = {
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.8,
  strokeLinecap: "round",
  strokeLinejoin: "round",
} as const;

export function ConversationRow({ conversation: c, current, onSelect, onDelete, onRename, onStale }: Props) {
  const [mode, setMode] = useState<Mode>("view");
  const [deleting, setDeleting] = useState(false);
  // Where keyboard focus goes once the row is back in view mode (after a rename or a cancelled delete).
  const returnFocus = useRef<"link" | "delete" | null>(null);
  const link = useRef<HTMLAnchorElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (mode !== "view" || !returnFocus.current) return;
    (returnFocus.current === "link" ? link : deleteButton).current?.focus();
    returnFocus.current = null;
  }, [mode]);
  // Stable, so the confirm's Cancel button takes focus once when it appears, not on every re-render.
  const focusOnMount = useCallback((el: HTMLButtonElement | null) => el?.focus(), []);
  const title = c.title.trim() || "New chat";

  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    onSelect(c.id);
  };
  const remove = async () => {
    setDeleting(true);
    try {
      await onDelete(c.id);
    } finally {
      setDeleting(false);
      setMode("view");
    }
  };
  const cancelDelete = () => {
    returnFocus.current = "delete";
    setMode("view");
  };
  const onConfirmKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      cancelDelete();
    }
  };

  let body: ReactNode;
  if (mode === "rename") {
    body = (
      <RenameForm
        title={title}
        onSave={(next) => onRename(c.id, next)}
        onDone={(gone) => {
          returnFocus.current = gone ? null : "link";
          setMode("view");
          if (gone) onStale();
        }}
      />
    );
  } else if (mode === "confirm-delete") {
    body = (
      <div className="conv-confirm">
        <span className="conv-confirm-text">Delete “{title}”?</span>
        <button
          type="button"
          className="btn btn-small btn-danger"
          data-testid="confirm-delete"
          disabled={deleting}
          onKeyDown={onConfirmKey}
          onClick={() => void remove()}
        >
          Delete
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          data-testid="cancel-delete"
          ref={focusOnMount}
          onKeyDown={onConfirmKey}
          onClick={cancelDelete}
        >
          Cancel
        </button>
      </div>
    );
  } else {
    body = (
      <>
        <a
          ref={link}
          href={`/?c=${encodeURIComponent(c.id)}`}
          className="conv-link"
          data-testid="conversation-link"
          aria-current={current ? "page" : undefined}
          onClick={open}
          title={title}
        >
          {title}
        </a>
        <span className="conv-actions">
          <button
            type="button"
            className="icon-btn"
            data-testid="rename-conversation"
            aria-label={`Rename conversation “${title}”`}
            title="Rename"
            onClick={() => setMode("rename")}
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path d="M4 20h4L19 9a2.1 2.1 0 0 0-4-4L4 16v4zM13.5 6.5l4 4" {...iconProps} />
            </svg>
          </button>
          <button
            ref={deleteButton}
            type="button"
            className="icon-btn"
            data-testid="delete-conversation"
            aria-label={`Delete conversation “${title}”`}
            title="Delete"
            onClick={() => setMode("confirm-delete")}
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path
                d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"
                {...iconProps}
              />
            </svg>
          </button>
        </span>
      </>
    );
  }

  return (
    <li className="conv-item" data-testid="conversation-item" data-conversation-id={c.id} data-mode={mode}>
      {body}
    </li>
  );
}
