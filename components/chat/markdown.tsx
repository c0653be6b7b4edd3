// Reply markdown: react-markdown + GFM (tables, strikethrough, task lists), never raw HTML; links open safely,
// code blocks get highlighting and a copy button, wide tables scroll inside their own box.
import type { Element, ElementContent } from "hast";
import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CARET_IN_CODE, rehypeCaret } from "@/lib/markdown/rehype-caret";
import { CodeBlock } from "./code-block";

function textOf(nodes: ElementContent[]): string {
  return nodes
    .map((n) => (n.type === "text" ? n.value : n.type === "element" ? textOf(n.children) : ""))
    .join("");
}

/** A fenced block's code and language tag, from the `pre > code.language-xx` element the parser makes. */
function fencedCode(pre: Element | undefined): { code: string; language: string | undefined } {
  const code = pre?.children.find((n): n is Element => n.type === "element" && n.tagName === "code");
  const classes = code?.properties.className;
  const tag = Array.isArray(classes)
    ? classes
        .map(String)
        .find((c) => c.startsWith("language-"))
        ?.slice("language-".length)
    : undefined;
  // The parser ends a closed block's text with one newline that is not part of the code.
  return { code: code ? textOf(code.children).replace(/\n$/, "") : "", language: tag };
}

const components: Components = {
  // Unsafe URLs (javascript: etc.) arrive here emptied by react-markdown's urlTransform: render plain text.
  a: ({ node: _node, href, children, ...rest }) =>
    href ? (
      <a {...rest} href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  // Images from model output could be used for tracking/exfiltration: show them as links instead.
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt || "image"}
      </a>
    ) : null,
  pre: ({ node }) => {
    const { code, language } = fencedCode(node);
    return (
      <CodeBlock code={code} language={language} caret={node?.properties[CARET_IN_CODE] !== undefined} />
    );
  },
  table: ({ node: _node, ...rest }) => (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a sideways-scrolling table must be reachable by keyboard.
    <div className="table-wrap" tabIndex={0}>
      <table {...rest} />
    </div>
  ),
};

const remarkPlugins = [remarkGfm];
const streamingPlugins = [rehypeCaret];

/** `streaming`: the reply is still being written, so the caret is drawn after its last character. */
export const MarkdownText = memo(function MarkdownText({
  text,
  streaming,
}: {
  text: string;
  streaming: boolean;
}) {
  return (
    <Markdown
      components={components}
      remarkPlugins={remarkPlugins}
      rehypePlugins={streaming ? streamingPlugins : undefined}
      skipHtml
    >
      {text}
    </Markdown>
  );
});
