// A fenced code block: language label, copy button, and syntax highlighting fetched on first use (its own chunk),
// shown as plain text until then. Long lines scroll inside the block.
import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import { type ReactNode, useDeferredValue, useEffect, useState } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { resolveCodeLanguage } from "@/lib/markdown/code-languages";
import { CopyButton } from "./copy-button";

type Highlighting = typeof import("@/lib/markdown/highlight");
let highlighting: Promise<Highlighting> | null = null;
function loadHighlighting(): Promise<Highlighting> {
  highlighting ??= import("@/lib/markdown/highlight").catch((error: unknown) => {
    highlighting = null; // let a later block try again (e.g. after a deploy changed the chunk names)
    throw error;
  });
  return highlighting;
}

type Props = { code: string; language: string | undefined; caret: boolean };
type Highlighted = { code: string; nodes: ReactNode };

export function CodeBlock({ code, language, caret }: Props) {
  const { id, label } = resolveCodeLanguage(language);
  // While a reply streams, React may skip intermediate texts instead of highlighting every word.
  const pending = useDeferredValue(code);
  const [highlighted, setHighlighted] = useState<Highlighted | null>(null);

  useEffect(() => {
    if (!id) return;
    let current = true;
    loadHighlighting()
      .then(({ highlightCode }) => highlightCode(pending, id))
      .then((children) => {
        if (!current) return;
        const nodes = toJsxRuntime({ type: "root", children }, { Fragment, jsx, jsxs });
        setHighlighted({ code: pending, nodes });
      })
      .catch(() => {}); // stays plain text: readable, just not coloured
    return () => {
      current = false;
    };
  }, [pending, id]);

  // The last highlighted version plus the newer text as plain, so streaming never flickers back to plain.
  const usable = highlighted && code.startsWith(highlighted.code) ? highlighted : null;
  return (
    <div className="code-block" data-testid="code-block" data-language={id ?? undefined}>
      <div className="code-head">
        <span className="code-lang" data-testid="code-language">
          {label}
        </span>
        <CopyButton
          text={() => code}
          label={`Copy ${label} code`}
          caption="Copy"
          className="btn btn-small btn-ghost code-copy"
          testId="copy-code"
        />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a sideways-scrolling block must be reachable by keyboard. */}
      <pre tabIndex={0} data-highlighted={usable ? "" : undefined}>
        <code>
          {usable ? usable.nodes : null}
          {usable ? code.slice(usable.code.length) : code}
          {caret && <span className="caret" aria-hidden="true" />}
        </code>
      </pre>
    </div>
  );
}
