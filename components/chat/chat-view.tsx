// One conversation's view: transcript + held messages + notices + composer + paywall. Keyed by conversation id
// by its parent.
"use client";

import { useCallback, useEffect, useRef } from "react";
import type { ModelList } from "@/components/api";
import { focusComposer } from "@/components/focus";
import { BlockedNotice } from "./blocked-notice";
import { ChatError } from "./chat-error";
import { Composer } from "./composer";
import { HeldMessages } from "./held-messages";
import { MessageList } from "./message-list";
import { ModelPicker } from "./model-picker";
import { PaywallDialog, type UpgradeOptions } from "./paywall-dialog";
import { RateLimitNotice } from "./rate-limit-notice";
import { Suggestions } from "./suggestions";
import { useChatSession } from "./use-chat-session";
import { useModelChoice } from "./use-model-choice";

type Props = {
  conversationId: string;
  isNew: boolean;
  onSend: (conversationId: string) => void;
  onSettled: (result: { ok: boolean }) => void;
  /** Leaves a conversation that doesn't exist for a fresh one. */
  onStartNew: () => void;
  /** Opens a new chat that sends `text` first (the paywall's way out of a long conversation). */
  onStartNewWith: (text: string) => void;
  /** A new chat opened to send this message at once. */
  firstMessage?: string;
  upgrade: UpgradeOptions;
  /** The chat models (GET /api/models); null until loaded. */
  models: ModelList | null;
  /** Reads the models again (the plan may have changed). */
  onModelsStale: () => void;
  /** The model this conversation is sent with now (null: the plan's default), for the account panel. */
  onModelChange: (model: string | null) => void;
};

export function ChatView({
  onStartNew,
  onStartNewWith,
  firstMessage,
  upgrade,
  models,
  onModelsStale,
  onModelChange,
  onSend,
  ...props
}: Props) {
  const choice = useModelChoice(props.conversationId, models);
  const { remember } = choice;
  useEffect(() => onModelChange(choice.model), [choice.model, onModelChange]);
  const chat = useChatSession({
    ...props,
    onSend: useCallback(
      (id: string) => {
        remember();
        onSend(id);
      },
      [remember, onSend],
    ),
    model: choice.model,
    models,
    onModelRefused: onModelsStale,
  });
  const firstSent = useRef(false);
  const { send, loadState } = chat;
  useEffect(() => {
    if (!firstMessage || firstSent.current || loadState !== "ready") return;
    firstSent.current = true;
    send(firstMessage);
  }, [firstMessage, loadState, send]);
  const loading = chat.loadState === "loading";
  const showNotice = chat.wait !== null || chat.held.length > 0;

  const empty =
    chat.loadState === "missing" ? (
      <div className="empty" data-testid="conversation-missing">
        <h2 className="empty-title">This conversation doesn&apos;t exist or was deleted</h2>
        <p className="muted">The link may be mistyped, or it belongs to another account.</p>
        <button type="button" className="btn btn-primary empty-action" onClick={onStartNew}>
          Start a new chat
        </button>
      </div>
    ) : chat.loadState === "error" ? (
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
        hasNotices={Boolean(showNotice || chat.failure || chat.blocked)}
        lastTurn={chat.canRewrite ? { onEdit: chat.edit, onRegenerate: chat.regenerate } : undefined}
      >
        {chat.held.length > 0 && <HeldMessages items={chat.held} onRemove={chat.removeHeld} />}
        {showNotice && (
          <RateLimitNotice
            wait={chat.wait}
            lastRefusal={chat.lastRefusal}
            upgrade={upgrade}
            canSwitchModel={choice.offered && (models?.models.filter((m) => m.available).length ?? 0) > 1}
            held={chat.held.length}
            mode={chat.mode}
            onToggleSendWhenReady={chat.toggleSendWhenReady}
            onSendNow={chat.sendNow}
          />
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
      {/* The one place refusals and "you can send again" are announced: mounted (empty) from the start so that
          screen readers pick up its first words, and changed only when something happens — never per tick. */}
      <p className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="chat-announcer">
        {chat.announcement}
      </p>
      <Composer
        value={chat.draft}
        onChange={chat.setDraft}
        onSend={chat.send}
        onStop={chat.stop}
        busy={chat.busy}
        disabled={chat.loadState !== "ready"}
        closedReason={chat.loadState === "missing" ? "Start a new chat to send a message" : undefined}
        hint={chat.wait ? null : chat.limitHint}
        tools={
          choice.offered &&
          models && (
            <ModelPicker
              models={models.models}
              value={choice.model}
              onChange={(key) => {
                choice.choose(key);
                if (key !== choice.model) chat.modelChanged();
              }}
              upgrade={upgrade}
            />
          )
        }
      />
      <PaywallDialog
        paywall={chat.paywall}
        upgrade={upgrade}
        onClose={chat.closePaywall}
        onNewChat={() => onStartNewWith(chat.takePaywallText())}
      />
    </div>
  );
}
