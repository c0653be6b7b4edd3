// Assistant markdown: react-markdown without rehype-raw (raw HTML is never rendered); links open safely.
import { memo } from "react";
import Markdown, { type Components } from "react-markdown";

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
};

export const MarkdownText = memo(function MarkdownText({ text }: { text: string }) {
  return (
    <Markdown components={components} skipHtml>
      {text}
    </Markdown>
  );
});
