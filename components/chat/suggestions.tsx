// The empty state's suggested prompts: a click sends one through the normal send path (a message like any other,
// limited like any other). Offline, each brings one of the demo model's renderings (lib/ai/offline-reply.ts).

export const SUGGESTIONS = [
  {
    title: "Write a TypeScript function",
    detail: "that rate-limits calls per user",
    prompt: "Write a TypeScript function that rate-limits calls per user",
  },
  {
    title: "Compare rate-limit algorithms",
    detail: "fixed window, sliding window, token bucket",
    prompt: "Compare fixed window, sliding window and token bucket rate limiting in a table",
  },
  {
    title: "List the steps",
    detail: "to deploy a Next.js app on Vercel",
    prompt: "List the steps to deploy a Next.js app on Vercel",
  },
  {
    title: "Show me Markdown",
    detail: "code, a table, a list and a quote",
    prompt: "Show me what Markdown can do: code, a table, a list and a quote",
  },
] as const;

type Props = { disabled: boolean; onPick: (prompt: string) => void };

export function Suggestions({ disabled, onPick }: Props) {
  return (
    <ul className="suggestions" aria-label="Suggested prompts">
      {SUGGESTIONS.map((s) => (
        <li key={s.prompt}>
          <button
            type="button"
            className="suggestion"
            data-testid="suggestion"
            disabled={disabled}
            onClick={() => onPick(s.prompt)}
          >
            <span className="suggestion-title">{s.title}</span>
            <span className="suggestion-detail">{s.detail}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
