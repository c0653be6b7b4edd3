// Messages held back by a 429 (or not yet sent), in the order they will go, each with its own Remove.
import type { HeldMessage } from "./use-chat-session";

type Props = { items: HeldMessage[]; onRemove: (id: string) => void };

const LABELS: Record<HeldMessage["intent"], string> = {
  send: "",
  edit: "Edit of your last message",
  regenerate: "New answer to your last message",
};

/** Focus stays in the list after a removal: the next Remove, else the composer. */
function focusAfterRemoval(index: number) {
  window.requestAnimationFrame(() => {
    const buttons = document.querySelectorAll<HTMLElement>("[data-testid='held-remove']");
    (buttons[Math.min(index, buttons.length - 1)] ?? document.getElementById("composer-input"))?.focus();
  });
}

export function HeldMessages({ items, onRemove }: Props) {
  return (
    <ol className="held-list" aria-label="Messages not sent yet" data-testid="held-list">
      {items.map((item, index) => {
        const label = LABELS[item.intent];
        const name = item.text ? `“${item.text.slice(0, 40)}${item.text.length > 40 ? "…" : ""}”` : label;
        return (
          <li
            key={item.id}
            className="msg msg-user held"
            data-testid="held-message"
            data-intent={item.intent}
          >
            <div className="bubble bubble-user bubble-held">
              {label && <span className="held-label">{label}</span>}
              {item.text && <span data-testid="held-text">{item.text}</span>}
            </div>
            <div className="held-meta">
              <span>Not sent yet</span>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                data-testid="held-remove"
                aria-label={`Remove ${name} — it will not be sent`}
                onClick={() => {
                  onRemove(item.id);
                  focusAfterRemoval(index);
                }}
              >
                Remove
              </button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
