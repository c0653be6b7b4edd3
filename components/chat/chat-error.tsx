// The inline error bubble for failures other than 429/402 (network, 5xx, cut streams, refused input).
import type { ChatFailure } from "./use-chat-session";

type Props = { failure: ChatFailure; busy: boolean; onRetry: () => void; onDismiss: () => void };

export function ChatError({ failure, busy, onRetry, onDismiss }: Props) {
  return (
    <div className="msg msg-assistant" role="alert" data-testid="chat-error">
      <div className="bubble bubble-error">
        <p className="notice-text">{failure.message}</p>
        <div className="notice-actions">
          {failure.retry ? (
            <button
              type="button"
              className="btn btn-small"
              data-testid="retry"
              disabled={busy}
              onClick={onRetry}
            >
              Retry
            </button>
          ) : null}
          <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      </div>
    </div>
  );
}
