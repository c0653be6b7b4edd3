// Every shipped grammar loads under the JavaScript regex engine and colours a sample, in both themes.
import type { ElementContent } from "hast";
import { describe, expect, it } from "vitest";
import { CODE_LANGUAGES, type CodeLanguageId } from "./code-languages";
import { highlightCode } from "./highlight";

function colours(nodes: ElementContent[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    if (node.type !== "element") continue;
    const style = node.properties.style;
    if (typeof style === "string")
      for (const m of style.matchAll(/color:(light-dark\([^)]*\))/g)) into.add(m[1] ?? "");
    colours(node.children, into);
  }
  return into;
}

function text(nodes: ElementContent[]): string {
  return nodes
    .map((n) => (n.type === "text" ? n.value : n.type === "element" ? text(n.children) : ""))
    .join("");
}

const SAMPLES: Partial<Record<CodeLanguageId, string>> = {
  typescript: "const answer: number = 42; // note\nexport function f(x: string) { return x.trim(); }",
  python: 'def greet(name: str) -> str:\n    return f"hi {name}"  # note',
  bash: 'for i in 1 2 3; do echo "$i"; done # note',
};

describe("highlightCode", () => {
  it("colours tokens with light-dark() pairs and keeps the text exactly", async () => {
    const code = SAMPLES.typescript ?? "";
    const nodes = await highlightCode(code, "typescript");
    expect(text(nodes)).toBe(code);
    const found = colours(nodes);
    expect(found.size).toBeGreaterThan(3);
    for (const colour of found) expect(colour).toMatch(/^light-dark\(#[0-9a-f]{6},\s?#[0-9a-f]{6}\)$/i);
    const lines = nodes.filter((n) => n.type === "element" && n.properties.class === "line");
    expect(lines).toHaveLength(2);
  });

  it("loads every shipped grammar and highlights with it", async () => {
    for (const id of Object.keys(CODE_LANGUAGES) as CodeLanguageId[]) {
      const code = SAMPLES[id] ?? 'x = "value" # 1 // 2';
      const nodes = await highlightCode(code, id);
      expect(text(nodes), id).toBe(code);
      expect(colours(nodes).size, id).toBeGreaterThan(0);
    }
  });
});
