// The conversation list: grouped Today / Yesterday / Previous 7 days / Older (local time), filtered by a search.
import type { ConversationSummary } from "@/components/api";
import { filterByTitle, groupByRecency } from "@/lib/conversations/list";
import { ConversationRow } from "./conversation-row";

type Props = {
  conversations: ConversationSummary[] | null;
  failed: boolean;
  query: string;
  currentId: string | null;
  onSelect: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
  onRename: (id: string, title: string) => Promise<void>;
  onStale: () => void;
};

export function ConversationList({ conversations, failed, query, currentId, ...actions }: Props) {
  if (!conversations) {
    return <p className="muted side-note">{failed ? "Couldn't load conversations." : "Loading…"}</p>;
  }
  if (conversations.length === 0) {
    return (
      <p className="muted side-note" data-testid="conversation-list">
        No conversations yet.
      </p>
    );
  }
  const matches = filterByTitle(conversations, query);
  if (matches.length === 0) {
    return (
      <p className="muted side-note" role="status" data-testid="no-search-results">
        No conversations match “{query.trim()}”.
      </p>
    );
  }
  return (
    <div data-testid="conversation-list">
      {groupByRecency(matches, new Date()).map(({ group, items }) => (
        <div key={group} className="conv-group" data-testid="conversation-group">
          <h2 className="side-heading">{group}</h2>
          <ul className="conv-list">
            {items.map((c) => (
              <ConversationRow key={c.id} conversation={c} current={c.id === currentId} {...actions} />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
