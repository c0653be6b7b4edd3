// Message composer: Enter sends, Shift+Enter adds a newline, 8,000-char limit with a counter near it, Stop while
// busy, and the quiet "2 messages left this minute" hint under it.
import { type FormEvent, type KeyboardEvent, type ReactNode, useId } from "react";
import { useMessageCap } from "./message-cap";

/** The counter shows from this far below the cap. */
const COUNTER_MARGIN = 1000;

type Props = {
  value: string;
  onChange: (value: string) => void;
  onSend: (text: string) => boolean;
  onStop: () => void;
  busy: boolean;
  /** Sending is not possible yet (history loading): typing ahead is. */
  disabled: boolean;
  /** Typing is pointless too (the conversation doesn't exist): the field is off and says why. */
  closedReason?: string;
  /** Few messages left in a rate-limit layer, e.g. "2 messages left this minute"; null when plenty remain. */
  hint?: string | null;
  /** Controls under the box, before the hint (the model picker). */
  tools?: ReactNode;
};

export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  busy,
  disabled,
  closedReason,
  hint,
  tools,
}: Props) {
  const MAX_MESSAGE_CHARS = useMessageCap();
  const COUNTER_FROM = MAX_MESSAGE_CHARS - COUNTER_MARGIN;
  const counterId = useId();
  const hintId = useId();
  const length = value.length;
  const canSend = !busy && !disabled && value.trim().length > 0 && length <= MAX_MESSAGE_CHARS;

  // No maxLength on the textarea: an over-long paste isn't silently cut; the counter turns red and Send waits.
  const submit = () => {
    if (canSend && onSend(value)) onChange("");
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  };

  return (
    <form className="composer" aria-label="Send a message" onSubmit={onSubmit}>
      <div className="composer-box">
        <label htmlFor="composer-input" className="sr-only">
          Message
        </label>
        <textarea
          id="composer-input"
          data-testid="composer-input"
          className="composer-input"
          rows={1}
          placeholder={closedReason ?? "Message the assistant…"}
          disabled={closedReason !== undefined}
          value={value}
          aria-invalid={length > MAX_MESSAGE_CHARS || undefined}
          aria-describedby={
            [hint ? hintId : "", length >= COUNTER_FROM ? counterId : ""].filter(Boolean).join(" ") ||
            undefined
          }
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {busy ? (
          <button
            type="button"
            className="icon-btn send-btn"
            data-testid="stop-button"
            aria-label="Stop generating"
            onClick={onStop}
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor" />
            </svg>
          </button>
        ) : (
          <button
            type="submit"
            className="icon-btn send-btn"
            data-testid="send-button"
            aria-label="Send message"
            disabled={!canSend}
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path
                d="M12 19V5M5 12l7-7 7 7"
                fill="none"
                stroke="currentColor"
                strokeWidth="2.2"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
          </button>
        )}
      </div>
      <div className="composer-foot">
        {tools}
        {hint ? (
          <span id={hintId} className="limit-hint" data-testid="limit-hint">
            {hint}
          </span>
        ) : (
          <span className="hint">Enter to send · Shift+Enter for a new line</span>
        )}
        {length >= COUNTER_FROM && (
          <span
            id={counterId}
            className={length > MAX_MESSAGE_CHARS ? "counter counter-max" : "counter"}
            data-testid="char-counter"
          >
            {length > MAX_MESSAGE_CHARS && "Too long — "}
            {length.toLocaleString("en-US")} / {MAX_MESSAGE_CHARS.toLocaleString("en-US")}
          </span>
        )}
      </div>
    </form>
  );
}
