// Syntax highlighting for code blocks: shiki's core with its JavaScript regex engine (no WASM); each grammar is
// its own chunk, fetched the first time a block in that language appears. Only ever imported lazily.
import type { ElementContent, Root } from "hast";
import { createHighlighterCore, type HighlighterCore, type LanguageRegistration } from "shiki/core";
import { createJavaScriptRegexEngine } from "shiki/engine/javascript";
import githubDark from "shiki/themes/github-dark.mjs";
import githubLight from "shiki/themes/github-light.mjs";
import type { CodeLanguageId } from "./code-languages";

type GrammarModule = Promise<{ default: LanguageRegistration[] }>;

const GRAMMARS: Record<CodeLanguageId, () => GrammarModule> = {
  bash: () => import("shiki/langs/bash.mjs"),
  c: () => import("shiki/langs/c.mjs"),
  cpp: () => import("shiki/langs/cpp.mjs"),
  csharp: () => import("shiki/langs/csharp.mjs"),
  css: () => import("shiki/langs/css.mjs"),
  diff: () => import("shiki/langs/diff.mjs"),
  dockerfile: () => import("shiki/langs/dockerfile.mjs"),
  go: () => import("shiki/langs/go.mjs"),
  graphql: () => import("shiki/langs/graphql.mjs"),
  html: () => import("shiki/langs/html.mjs"),
  java: () => import("shiki/langs/java.mjs"),
  javascript: () => import("shiki/langs/javascript.mjs"),
  json: () => import("shiki/langs/json.mjs"),
  jsx: () => import("shiki/langs/jsx.mjs"),
  kotlin: () => import("shiki/langs/kotlin.mjs"),
  markdown: () => import("shiki/langs/markdown.mjs"),
  php: () => import("shiki/langs/php.mjs"),
  python: () => import("shiki/langs/python.mjs"),
  ruby: () => import("shiki/langs/ruby.mjs"),
  rust: () => import("shiki/langs/rust.mjs"),
  scss: () => import("shiki/langs/scss.mjs"),
  sql: () => import("shiki/langs/sql.mjs"),
  swift: () => import("shiki/langs/swift.mjs"),
  toml: () => import("shiki/langs/toml.mjs"),
  tsx: () => import("shiki/langs/tsx.mjs"),
  typescript: () => import("shiki/langs/typescript.mjs"),
  xml: () => import("shiki/langs/xml.mjs"),
  yaml: () => import("shiki/langs/yaml.mjs"),
};

/** Lines longer than this are left plain: tokenizing a minified megabyte line would freeze the tab. */
const MAX_TOKENIZED_LINE = 2000;

let highlighter: Promise<HighlighterCore> | null = null;
const loaded = new Map<CodeLanguageId, Promise<void>>();

function getHighlighter(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    themes: [githubLight, githubDark],
    langs: [],
    // forgiving: a grammar pattern the JS engine can't express is skipped instead of failing the block.
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  return highlighter;
}

async function ensureLanguage(core: HighlighterCore, id: CodeLanguageId): Promise<void> {
  let ready = loaded.get(id);
  if (!ready) {
    ready = GRAMMARS[id]().then((grammar) => core.loadLanguage(grammar.default));
    // A failed chunk load (offline, deploy in between) may be retried by the next block.
    ready.catch(() => loaded.delete(id));
    loaded.set(id, ready);
  }
  await ready;
}

/**
 * The highlighted lines of `code` as hast nodes to put inside a `<code>`: one `span.line` per line, tokens
 * coloured with `light-dark()` so they follow the page's colour scheme (theme toggle included) without a re-run.
 */
export async function highlightCode(code: string, language: CodeLanguageId): Promise<ElementContent[]> {
  const core = await getHighlighter();
  await ensureLanguage(core, language);
  const tree: Root = core.codeToHast(code, {
    lang: language,
    themes: { light: "github-light", dark: "github-dark" },
    defaultColor: "light-dark()",
    tokenizeMaxLineLength: MAX_TOKENIZED_LINE,
  });
  const pre = tree.children[0];
  const codeElement = pre?.type === "element" ? pre.children[0] : undefined;
  return codeElement?.type === "element" ? codeElement.children : [{ type: "text", value: code }];
}
