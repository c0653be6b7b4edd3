// A copy button that confirms with a check mark for a moment and says so to screen readers.
import { useEffect, useRef, useState } from "react";
import { copyText } from "@/components/clipboard";

type Props = {
  /** Read on click, so a streaming block copies what is there now. */
  text: () => string;
  /** Accessible name, e.g. "Copy code". */
  label: string;
  /** Visible text next to the icon (the code block header); icon only when absent. */
  caption?: string;
  className?: string;
  testId?: string;
};

type State = "idle" | "copied" | "failed";

export function CopyButton({ text, label, caption, className = "icon-btn", testId }: Props) {
  const [state, setState] = useState<State>("idle");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    const ok = await copyText(text());
    setState(ok ? "copied" : "failed");
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState("idle"), 1600);
  };

  return (
    <>
      <button
        type="button"
        className={className}
        aria-label={label}
        title={label}
        data-testid={testId}
        data-state={state}
        onClick={() => void copy()}
      >
        {state === "copied" ? (
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path
              d="M5 12.5l4.5 4.5L19 7.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        ) : (
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <rect
              x="8"
              y="8"
              width="12"
              height="12"
              rx="2.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
            />
            <path
              d="M16 8V6.5A2.5 2.5 0 0 0 13.5 4h-7A2.5 2.5 0 0 0 4 6.5v7A2.5 2.5 0 0 0 6.5 16H8"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
            />
          </svg>
        )}
        {caption && <span>{state === "copied" ? "Copied" : caption}</span>}
      </button>
      <span className="sr-only" role="status">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Couldn't copy" : ""}
      </span>
    </>
  );
}
