// Editing the last message in place: Enter (or Send) resends it as an edit, Escape (or Cancel) leaves it as it was.
import { type KeyboardEvent, useId, useState } from "react";
import { useMessageCap } from "./message-cap";

type Props = { initial: string; onSubmit: (text: string) => boolean; onCancel: () => void };

export function EditForm({ initial, onSubmit, onCancel }: Props) {
  const [value, setValue] = useState(initial);
  const MAX_MESSAGE_CHARS = useMessageCap();
  const id = useId();
  const tooLong = value.length > MAX_MESSAGE_CHARS;
  const canSend = value.trim() !== "" && !tooLong;
  const submit = () => {
    if (canSend) onSubmit(value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form
      className="edit-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={id} className="sr-only">
        Edit your message
      </label>
      <textarea
        id={id}
        className="edit-input"
        data-testid="edit-input"
        value={value}
        // biome-ignore lint/a11y/noAutofocus: the person just asked to edit this message; the field is where they type.
        autoFocus
        onFocus={(event) => event.currentTarget.setSelectionRange(value.length, value.length)}
        aria-invalid={tooLong || undefined}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="edit-actions">
        <span className="hint">Replaces this message and its reply</span>
        <button type="button" className="btn btn-small" data-testid="edit-cancel" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn btn-small btn-primary"
          data-testid="edit-send"
          disabled={!canSend}
        >
          Send
        </button>
      </div>
    </form>
  );
}
