// A rehype plugin for a reply still streaming: puts the blinking caret at the end of its last text (in the last
// paragraph, list item, table cell…), so it sits where the next word will appear instead of on its own line.
import type { Element, ElementContent, Root, RootContent } from "hast";

/** Set on a `pre` that ends the reply: the code block draws the caret after its last character itself. */
export const CARET_IN_CODE = "dataCaret";

// Elements whose content is not text to continue (or that can't hold a child): the caret goes after them.
const AFTER = new Set(["img", "br", "hr", "input", "svg", "video", "audio", "iframe"]);

function caret(): Element {
  return {
    type: "element",
    tagName: "span",
    properties: { className: ["caret"], ariaHidden: "true" },
    children: [],
  };
}

const isBlank = (node: RootContent) => node.type === "text" && node.value.trim() === "";
const isComment = (node: RootContent) => node.type === "comment" || node.type === "doctype";

/** Appends the caret to the deepest last element of `tree` (mutates it). */
export function appendCaret(tree: Root): void {
  let parent: Root | Element = tree;
  for (;;) {
    const children: (RootContent | ElementContent)[] = parent.children;
    const last = children.findLast((node) => !isBlank(node) && !isComment(node));
    if (last?.type !== "element" || AFTER.has(last.tagName)) break;
    if (last.tagName === "pre") {
      last.properties[CARET_IN_CODE] = "";
      return;
    }
    parent = last;
  }
  parent.children.push(caret());
}

export function rehypeCaret() {
  return (tree: Root) => appendCaret(tree);
}
