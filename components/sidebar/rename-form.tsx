// Inline rename of a conversation: Enter or leaving the field saves, Escape cancels; a refused title stays in the
// field with the reason next to it, so nothing typed is lost.
import { type FormEvent, type KeyboardEvent, useId, useState } from "react";
import { ApiHttpError } from "@/components/api";
import { characterCount, cleanTitle, MAX_TITLE_CHARS } from "@/lib/text/sanitize";

type Props = {
  title: string;
  onSave: (title: string) => Promise<void>;
  /** Leaves edit mode (after a save or a cancel); `gone`: the server no longer has the conversation. */
  onDone: (gone: boolean) => void;
};

function problem(title: string): string | null {
  const length = characterCount(title);
  if (length === 0) return "A title needs at least one character.";
  if (length > MAX_TITLE_CHARS) return `At most ${MAX_TITLE_CHARS} characters (this is ${length}).`;
  return null;
}

export function RenameForm({ title, onSave, onDone }: Props) {
  const [value, setValue] = useState(title);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [gone, setGone] = useState(false);
  const errorId = useId();
  const done = () => onDone(gone);

  const save = async () => {
    if (saving) return;
    const cleaned = cleanTitle(value);
    if (cleaned === title) return done();
    const invalid = problem(cleaned);
    if (invalid) return setError(invalid);
    setSaving(true);
    try {
      await onSave(cleaned);
      onDone(false);
    } catch (err) {
      const missing = err instanceof ApiHttpError && err.status === 404;
      setGone(missing);
      setError(
        missing
          ? "This conversation no longer exists (deleted in another tab?)."
          : err instanceof ApiHttpError
            ? err.body.message
            : "Couldn't reach the server. Try again.",
      );
      setSaving(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation(); // don't also close the phone menu
      done();
    }
  };
  // Leaving the field saves a valid change; an invalid one is dropped rather than trapping the user.
  const onBlur = () => {
    if (error || saving) return;
    const cleaned = cleanTitle(value);
    if (cleaned === title || problem(cleaned)) done();
    else void save();
  };

  return (
    <form className="conv-rename" onSubmit={onSubmit} aria-label="Rename conversation">
      <input
        className="input conv-rename-input"
        data-testid="rename-input"
        aria-label="Conversation title"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this field.
        autoFocus
        onFocus={(event) => event.currentTarget.select()}
        value={value}
        // Read-only, not disabled, while saving: a disabled field drops keyboard focus, and a refused title
        // must come back to the same place.
        readOnly={saving}
        aria-busy={saving || undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      {error && (
        <p id={errorId} className="form-error" role="alert" data-testid="rename-error">
          {error}
        </p>
      )}
    </form>
  );
}
