// The inline notice for a blocked send (403 blocked): why (the operator's reason, as text), until when, and that
// the text is back in the box.
import { clockTime } from "@/components/format";
import type { Blocked } from "./use-chat-session";
import { useCountdown } from "./use-countdown";

type Props = { blocked: Blocked; onDismiss: () => void };

export function BlockedNotice({ blocked, onDismiss }: Props) {
  const secondsLeft = useCountdown(blocked.until);
  const ended = blocked.until !== null && secondsLeft === 0;
  return (
    <div className="msg msg-assistant" data-testid="blocked-notice">
      <div className="bubble bubble-error">
        <p className="notice-text" role="status" data-testid="blocked-text">
          {ended ? (
            "The block has ended — you can send again."
          ) : (
            <>
              <strong>{blocked.message || "Sending is blocked."}</strong>
              {blocked.until !== null && ` You can send again at ${clockTime(blocked.until)}.`}
            </>
          )}
        </p>
        {blocked.reason && !ended && (
          <p className="notice-detail blocked-reason" data-testid="blocked-reason">
            The operator&apos;s reason: {blocked.reason}
          </p>
        )}
        <p className="notice-detail">Your message was not sent: it is back in the message box.</p>
        <div className="notice-actions">
          <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      </div>
    </div>
  );
}
