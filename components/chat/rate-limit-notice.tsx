// The inline 429 bubble: live countdown, the refused text, and "Send again" once the wait is over.
import type { RateLimitNotice as Notice } from "./use-chat-session";
import { useCountdown } from "./use-countdown";

type Props = { notice: Notice; busy: boolean; onSendAgain: () => void };

export function RateLimitNotice({ notice, busy, onSendAgain }: Props) {
  const seconds = useCountdown(notice.until);
  return (
    <div className="msg msg-assistant" data-testid="rate-limit-bubble">
      <div className="bubble bubble-notice">
        {/* The status text alone is the live region; aria-atomic=false re-announces only the changing number. */}
        <p
          className="notice-text"
          role="status"
          aria-live="polite"
          aria-atomic="false"
          data-testid="rate-limit-notice"
        >
          {seconds > 0 ? (
            <>
              {"you're sending messages a bit fast — please wait ~"}
              {seconds}
              {"s"}
            </>
          ) : (
            "you can send again now"
          )}
        </p>
        {notice.text && (
          <>
            <p className="pending-label">Your message (not sent yet):</p>
            <blockquote className="pending-text" data-testid="rate-limit-pending">
              {notice.text}
            </blockquote>
            <button
              type="button"
              className="btn btn-small"
              data-testid="send-again"
              disabled={seconds > 0 || busy}
              onClick={onSendAgain}
            >
              Send again
            </button>
          </>
        )}
      </div>
    </div>
  );
}
