// The languages code blocks are highlighted in: a fence's tag (```ts, ```py …) → a grammar id and a label.

/** Grammar ids (shiki's names) we ship; each loads on first use (lib/markdown/highlight.ts). */
export const CODE_LANGUAGES = {
  bash: { label: "Bash", aliases: ["sh", "shell", "shellscript", "zsh"] },
  c: { label: "C", aliases: ["h"] },
  cpp: { label: "C++", aliases: ["c++", "cc", "cxx", "hpp"] },
  csharp: { label: "C#", aliases: ["c#", "cs"] },
  css: { label: "CSS", aliases: [] },
  diff: { label: "Diff", aliases: ["patch"] },
  dockerfile: { label: "Dockerfile", aliases: ["docker"] },
  go: { label: "Go", aliases: ["golang"] },
  graphql: { label: "GraphQL", aliases: ["gql"] },
  html: { label: "HTML", aliases: ["htm", "xhtml"] },
  java: { label: "Java", aliases: [] },
  javascript: { label: "JavaScript", aliases: ["js", "mjs", "cjs", "node"] },
  json: { label: "JSON", aliases: ["jsonc", "json5"] },
  jsx: { label: "JSX", aliases: [] },
  kotlin: { label: "Kotlin", aliases: ["kt", "kts"] },
  markdown: { label: "Markdown", aliases: ["md"] },
  php: { label: "PHP", aliases: [] },
  python: { label: "Python", aliases: ["py", "python3"] },
  ruby: { label: "Ruby", aliases: ["rb"] },
  rust: { label: "Rust", aliases: ["rs"] },
  scss: { label: "SCSS", aliases: ["sass"] },
  sql: { label: "SQL", aliases: ["postgres", "postgresql", "mysql", "sqlite"] },
  swift: { label: "Swift", aliases: [] },
  toml: { label: "TOML", aliases: [] },
  tsx: { label: "TSX", aliases: [] },
  typescript: { label: "TypeScript", aliases: ["ts", "mts", "cts"] },
  xml: { label: "XML", aliases: ["svg", "plist"] },
  yaml: { label: "YAML", aliases: ["yml"] },
} as const satisfies Record<string, { label: string; aliases: readonly string[] }>;

export type CodeLanguageId = keyof typeof CODE_LANGUAGES;

/** The label shown for a block without a language, or one marked as plain text. */
export const PLAIN_TEXT_LABEL = "Text";
const PLAIN_TEXT_TAGS = new Set(["", "text", "txt", "plain", "plaintext"]);
const LABEL_MAX_CHARS = 24;

const byTag = new Map<string, CodeLanguageId>();
for (const [id, { aliases }] of Object.entries(CODE_LANGUAGES) as [
  CodeLanguageId,
  { aliases: readonly string[] },
][]) {
  byTag.set(id, id);
  for (const alias of aliases) byTag.set(alias, id);
}

export interface CodeLanguage {
  /** The grammar to highlight with; null: shown as plain text. */
  id: CodeLanguageId | null;
  /** What the block's header says. */
  label: string;
}

/** Resolves a fence tag, case-insensitively; an unknown tag keeps its own name as the label. */
export function resolveCodeLanguage(tag: string | undefined): CodeLanguage {
  const key = (tag ?? "").trim().toLowerCase();
  const id = byTag.get(key);
  if (id) return { id, label: CODE_LANGUAGES[id].label };
  if (PLAIN_TEXT_TAGS.has(key)) return { id: null, label: PLAIN_TEXT_LABEL };
  const label = [...key].slice(0, LABEL_MAX_CHARS).join("");
  return { id: null, label };
}
