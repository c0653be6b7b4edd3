// One conversation's view: transcript + notices + composer + paywall. Keyed by conversation id by its parent.
"use client";

import { focusComposer } from "@/components/focus";
import { BlockedNotice } from "./blocked-notice";
import { ChatError } from "./chat-error";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { PaywallDialog, type UpgradeOptions } from "./paywall-dialog";
import { RateLimitNotice } from "./rate-limit-notice";
import { Suggestions } from "./suggestions";
import { useChatSession } from "./use-chat-session";

type Props = {
  conversationId: string;
  isNew: boolean;
  onSend: (conversationId: string) => void;
  onSettled: (result: { ok: boolean }) => void;
  onMissing: () => void;
  upgrade: UpgradeOptions;
};

export function ChatView(props: Props) {
  const chat = useChatSession(props);
  const loading = chat.loadState === "loading";

  const empty =
    chat.loadState === "error" ? (
      <div className="empty" role="alert" data-testid="load-error">
        <p>Couldn&apos;t load this conversation.</p>
        <button type="button" className="btn" onClick={() => chat.reload()}>
          Try again
        </button>
      </div>
    ) : loading ? (
      <div className="empty" role="status" aria-live="polite">
        <p className="muted">Loading conversation…</p>
      </div>
    ) : (
      <div className="empty">
        <h2 className="empty-title">How can I help today?</h2>
        <p className="muted">Ask anything. Replies stream in as they&apos;re written.</p>
        <Suggestions
          disabled={chat.busy}
          onPick={(prompt) => {
            chat.send(prompt);
            focusComposer();
          }}
        />
      </div>
    );

  return (
    <div className="chat">
      <MessageList
        messages={chat.messages}
        status={chat.status}
        incompleteIds={chat.incompleteIds}
        empty={empty}
        hasNotices={Boolean(chat.rateLimit || chat.failure || chat.blocked)}
      >
        {chat.rateLimit && (
          <RateLimitNotice notice={chat.rateLimit} busy={chat.busy} onSendAgain={chat.sendAgain} />
        )}
        {chat.blocked && <BlockedNotice blocked={chat.blocked} onDismiss={chat.dismissBlocked} />}
        {chat.failure && (
          <ChatError
            failure={chat.failure}
            busy={chat.busy}
            onRetry={chat.retry}
            onDismiss={chat.dismissFailure}
          />
        )}
      </MessageList>
      <Composer
        value={chat.draft}
        onChange={chat.setDraft}
        onSend={chat.send}
        onStop={chat.stop}
        busy={chat.busy}
        disabled={chat.loadState !== "ready"}
      />
      <PaywallDialog paywall={chat.paywall} upgrade={props.upgrade} onClose={chat.closePaywall} />
    </div>
  );
}
