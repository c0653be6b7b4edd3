// The caret lands inside the last block, after its last text: checked through the real markdown pipeline.
import type { Root } from "hast";
import { toHtml } from "hast-util-to-html";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { rehypeCaret } from "./rehype-caret";

async function render(markdown: string): Promise<string> {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeCaret);
  const tree = (await processor.run(processor.parse(markdown))) as Root;
  return toHtml(tree).replaceAll("\n", "");
}

const CARET = '<span class="caret" aria-hidden="true"></span>';

describe("rehypeCaret", () => {
  it("ends the last paragraph, after its last word (inside inline formatting too)", async () => {
    expect(await render("First.\n\nSecond line")).toBe(`<p>First.</p><p>Second line${CARET}</p>`);
    expect(await render("Some **bold")).toBe(`<p>Some **bold${CARET}</p>`);
    expect(await render("Some **bold**")).toBe(`<p>Some <strong>bold${CARET}</strong></p>`);
  });

  it("goes into the last list item, nested lists and table cells", async () => {
    expect(await render("- one\n- two")).toBe(`<ul><li>one</li><li>two${CARET}</li></ul>`);
    expect(await render("1. a\n   - b")).toBe(`<ol><li>a<ul><li>b${CARET}</li></ul></li></ol>`);
    expect(await render("| a | b |\n| - | - |\n| 1 | 2 |")).toContain(
      `<td>2${CARET}</td></tr></tbody></table>`,
    );
    expect(await render("> quoted")).toBe(`<blockquote><p>quoted${CARET}</p></blockquote>`);
  });

  it("marks a trailing code block instead of writing into its code, and follows void elements", async () => {
    expect(await render("```ts\nconst a = 1\n")).toBe(
      '<pre data-caret=""><code class="language-ts">const a = 1</code></pre>',
    );
    expect(await render("text\n\n---")).toBe(`<p>text</p><hr>${CARET}`);
  });

  it("still shows for an empty reply", async () => {
    expect(await render("")).toBe(CARET);
  });
});
