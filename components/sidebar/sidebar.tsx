// The sidebar: New chat, the conversation list and the account panel. Off-canvas behind a menu on phones.
import type { ConversationSummary, SessionInfo } from "@/components/api";
import { AccountPanel } from "./account-panel";
import { ConversationList } from "./conversation-list";

type Props = {
  open: boolean;
  conversations: ConversationSummary[] | null;
  listFailed: boolean;
  currentId: string | null;
  session: SessionInfo | null;
  onNewChat: () => void;
  onSelect: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
  onSessionChanged: () => void;
  onClose: () => void;
};

export function Sidebar(props: Props) {
  return (
    <aside id="sidebar" className="sidebar" data-open={props.open || undefined} aria-label="Sidebar">
      <div className="sidebar-top">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Chat
        </span>
        <button
          type="button"
          className="icon-btn sidebar-close"
          aria-label="Close menu"
          onClick={props.onClose}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </button>
      </div>
      <button type="button" className="btn new-chat" data-testid="new-chat" onClick={props.onNewChat}>
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        New chat
      </button>
      <nav className="sidebar-nav" aria-label="Conversations">
        <h2 className="side-heading">Recent</h2>
        <ConversationList
          conversations={props.conversations}
          failed={props.listFailed}
          currentId={props.currentId}
          onSelect={props.onSelect}
          onDelete={props.onDelete}
        />
      </nav>
      <AccountPanel session={props.session} onChanged={props.onSessionChanged} />
    </aside>
  );
}
