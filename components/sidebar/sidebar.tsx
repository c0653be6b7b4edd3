// The sidebar: New chat, search, the grouped conversation list, the theme switch and the account panel.
// Off-canvas behind a menu on phones.
import { useState } from "react";
import type { ConversationSummary, Limits, SessionInfo, Usage } from "@/components/api";
import { ThemeSwitch } from "@/components/theme/theme-switch";
import { AccountPanel } from "./account-panel";
import { ConversationList } from "./conversation-list";

type Props = {
  open: boolean;
  conversations: ConversationSummary[] | null;
  listFailed: boolean;
  currentId: string | null;
  session: SessionInfo | null;
  layers: Limits | null;
  usage: Usage | null;
  onNewChat: () => void;
  onSelect: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
  onRename: (id: string, title: string) => Promise<void>;
  onListStale: () => void;
  onSessionChanged: (change: "signed-in" | "signed-out") => void;
  onClose: () => void;
};

export function Sidebar(props: Props) {
  const [query, setQuery] = useState("");
  // Shown once there is something to search, and kept while a query is typed (so it can always be cleared).
  const showSearch = (props.conversations?.length ?? 0) > 0 || query !== "";
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
      {showSearch && (
        <search className="search">
          <svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true">
            <path
              d="M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
            />
          </svg>
          <input
            type="search"
            className="search-input"
            data-testid="conversation-search"
            aria-label="Search conversations by title"
            placeholder="Search chats"
            autoComplete="off"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              // Escape clears the search first; a second Escape closes the phone menu.
              if (event.key === "Escape" && query) {
                event.stopPropagation();
                setQuery("");
              }
            }}
          />
        </search>
      )}
      <nav className="sidebar-nav" aria-label="Conversations">
        <ConversationList
          conversations={props.conversations}
          failed={props.listFailed}
          query={query}
          currentId={props.currentId}
          onSelect={props.onSelect}
          onDelete={props.onDelete}
          onRename={props.onRename}
          onStale={props.onListStale}
        />
      </nav>
      <ThemeSwitch />
      <AccountPanel
        session={props.session}
        layers={props.layers}
        usage={props.usage}
        onChanged={props.onSessionChanged}
      />
    </aside>
  );
}
