// The inline 429 bubble: which limit and when it frees (the digits tick here, outside every live region —
// announcements are made once, elsewhere), and what happens to the held messages: Send when ready / Send now.
import { autoSendPlan, refusalSentence } from "@/lib/chat-client/refusal-text";
import { messagesCount } from "@/lib/chat-client/time-words";
import type { Refusal, SendMode } from "./use-chat-session";
import { useCountdown } from "./use-countdown";

type Props = {
  wait: Refusal | null;
  held: number;
  mode: SendMode;
  onToggleSendWhenReady: () => void;
  onSendNow: () => void;
};

export function RateLimitNotice({ wait, held, mode, onToggleSendWhenReady, onSendNow }: Props) {
  // Re-renders every tick while a wait runs; the sentence is recomputed from the clock each time.
  const seconds = useCountdown(wait?.until ?? null);
  const now = Date.now();
  const waiting = wait !== null && seconds > 0;
  const sentence = wait && waiting ? refusalSentence(wait, now) : null;
  const automatic = mode !== "off";

  return (
    <div className="msg msg-assistant" data-testid="rate-limit-bubble">
      <div className="bubble bubble-notice">
        <p className="notice-text" data-testid="rate-limit-notice">
          {sentence ? (
            <>
              {sentence.before}
              <span className="countdown" data-testid="countdown">
                {sentence.ticking}
              </span>
              {sentence.after}
            </>
          ) : automatic ? (
            "Sending your held messages in order…"
          ) : (
            `${messagesCount(held)} not sent yet.`
          )}
        </p>
        {held > 0 && waiting && (
          <p className="notice-detail" data-testid="auto-send-plan">
            {mode === "armed"
              ? autoSendPlan(held, wait, now)
              : held === 1
                ? "Your message is kept, not sent. Send when ready sends it as soon as the wait ends."
                : `${messagesCount(held)} are kept, not sent. Send when ready sends them in order as soon as the wait ends.`}
          </p>
        )}
        {held > 0 && (
          <div className="notice-actions">
            {waiting ? (
              <button
                type="button"
                className={mode === "armed" ? "btn btn-small" : "btn btn-small btn-primary"}
                data-testid="send-when-ready"
                data-armed={mode === "armed" || undefined}
                onClick={onToggleSendWhenReady}
              >
                {mode === "armed" ? "Don't send automatically" : "Send when ready"}
              </button>
            ) : automatic ? (
              <button
                type="button"
                className="btn btn-small"
                data-testid="send-when-ready"
                data-armed
                onClick={onToggleSendWhenReady}
              >
                Stop sending the rest
              </button>
            ) : (
              <button
                type="button"
                className="btn btn-small btn-primary"
                data-testid="send-now"
                onClick={onSendNow}
              >
                {held === 1 ? "Send now" : `Send ${held} now`}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
