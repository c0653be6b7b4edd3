// What the offline demo model answers: an echo of the prompt, plus a code block, a table, numbered steps or a
// quote when the prompt asks for one, so a newcomer without keys sees every way a reply renders.
import type { LanguageModelV4Prompt } from "@ai-sdk/provider";

const EXCERPT_CHARS = 200;

/** The optional parts of a demo reply, in the order they appear. */
export type DemoSection = "steps" | "code" | "table" | "quote";

/** Which words of the prompt bring which section (whole words, any case). Documented in the README. */
const DEMO_TRIGGERS: Record<DemoSection, RegExp> = {
  steps: /\b(steps?|list|checklist|plan|how (?:do|to|can))\b/i,
  code: /\b(code|function|snippet|script|implement|program|typescript|javascript|python|bash|shell)\b/i,
  table: /\b(table|compare|comparison|versus|vs)\b/i,
  quote: /\b(quote|quotation)\b/i,
};
/** Any of these words brings every section at once. */
const DEMO_EVERYTHING = /\b(markdown|everything|demo)\b/i;

const SECTION_ORDER: DemoSection[] = ["steps", "code", "table", "quote"];

export function demoSections(said: string): DemoSection[] {
  if (DEMO_EVERYTHING.test(said)) return SECTION_ORDER;
  return SECTION_ORDER.filter((section) => DEMO_TRIGGERS[section].test(said));
}

const STEPS = [
  "Here are the steps to put this app online:",
  "",
  "1. Push the repository to GitHub and import it in Vercel.",
  "2. Add Upstash Redis from the Vercel Marketplace, so every instance shares one set of limits.",
  "3. Set `AUTH_SECRET` and a model key (`AI_GATEWAY_API_KEY` or `OPENAI_API_KEY`).",
  "4. Deploy, then send six messages within a minute to watch the limit answer.",
];

// Each sample has one long line: it scrolls inside the code block on a narrow screen, never the page.
const CODE_SAMPLES = {
  typescript: [
    "// A fixed-window limiter: at most `limit` calls per `windowMs` for each key.",
    "export function createLimiter(limit: number, windowMs: number) {",
    "  const windows = new Map<string, { start: number; count: number }>();",
    "  return function allow(key: string, now = Date.now()): boolean {",
    "    const current = windows.get(key);",
    "    if (!current || now - current.start >= windowMs) {",
    "      windows.set(key, { start: now, count: 1 });",
    "      return true;",
    "    }",
    "    current.count += 1;",
    "    return current.count <= limit;",
    "  };",
    "}",
    "",
    "const allow = createLimiter(5, 60_000);",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source shown to the user, not evaluated here.
    'console.log(["alice", "bob", "alice"].map((user) => `${user}: ${allow(user) ? "allowed" : "refused, retry when the window ends"}`));',
  ],
  python: [
    "import time",
    "",
    "def make_limiter(limit: int, window_s: float):",
    '    """At most `limit` calls per `window_s` seconds for each key (a fixed window)."""',
    "    windows: dict[str, tuple[float, int]] = {}",
    "",
    "    def allow(key: str) -> bool:",
    "        now = time.monotonic()",
    "        start, count = windows.get(key, (now, 0))",
    "        if now - start >= window_s:",
    "            start, count = now, 0",
    "        windows[key] = (start, count + 1)",
    "        return count + 1 <= limit",
    "",
    "    return allow",
    "",
    "allow = make_limiter(5, 60)",
    "print([f\"{user}: {'allowed' if allow(user) else 'refused, retry when the window ends'}\" for user in ('alice', 'bob', 'alice')])",
  ],
  bash: [
    "# Six messages in a row: the sixth is refused with 429 and a Retry-After header.",
    "for i in 1 2 3 4 5 6; do",
    `  curl -s -o /dev/null -w "%{http_code} retry-after=%header{retry-after}\\n" -H 'content-type: application/json' -d "{\\"id\\":\\"demo-1\\",\\"message\\":{\\"id\\":\\"m$i\\",\\"role\\":\\"user\\",\\"parts\\":[{\\"type\\":\\"text\\",\\"text\\":\\"hi\\"}]}}" http://localhost:3000/api/chat/message`,
    "done",
  ],
};

function codeSection(said: string): string[] {
  const language = /\bpython\b/i.test(said)
    ? "python"
    : /\b(bash|shell|terminal|command|curl)\b/i.test(said)
      ? "bash"
      : "typescript";
  return [
    "Here is some code. Code blocks are highlighted, with the language and a copy button on top:",
    "",
    `\`\`\`${language}`,
    ...CODE_SAMPLES[language],
    "```",
  ];
}

const TABLE = [
  "How common rate-limit algorithms compare:",
  "",
  "| Algorithm | Burst at a window edge | State per key | Exact `Retry-After` |",
  "| --- | --- | --- | --- |",
  "| Fixed window | up to 2× the limit | 1 counter | yes: the window's end |",
  "| Sliding window | smoothed | 2 counters | approximate |",
  "| Token bucket | up to the bucket size | tokens + a timestamp | yes: the next token |",
];

const QUOTE = [
  "A quote, as a blockquote:",
  "",
  "> A good limit never just says no. It says *not yet*, and exactly when.",
];

const SECTIONS: Record<DemoSection, (said: string) => string[]> = {
  steps: () => STEPS,
  code: codeSection,
  table: () => TABLE,
  quote: () => QUOTE,
};

function lastUserText(prompt: LanguageModelV4Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const m = prompt[i];
    if (m?.role === "user") {
      return m.content.map((p) => (p.type === "text" ? p.text : "")).join(" ");
    }
  }
  return "";
}

/**
 * The reply the offline model gives to a prompt; deterministic, so tests can compare against it. Standing in
 * for a configured model (`answeredAs`, from CHAT_MODELS), it says which one answered.
 */
export function offlineReply(prompt: LanguageModelV4Prompt, answeredAs?: string): string {
  const said = lastUserText(prompt).replace(/\s+/g, " ").trim();
  const excerpt = said.length > EXCERPT_CHARS ? `${said.slice(0, EXCERPT_CHARS).trimEnd()}…` : said;
  const words = said === "" ? 0 : said.split(" ").length;
  const turn = prompt.filter((m) => m.role === "user").length;
  const echo = said === "" ? "You sent an empty message." : `You said: “${excerpt}”.`;
  const sections = demoSections(said).flatMap((section) => [...SECTIONS[section](said), ""]);
  return [
    `This is the **offline demo model**${answeredAs ? `, answering as **${answeredAs}**` : ""} — no API key is configured, so I answer locally. ${echo}`,
    "",
    ...sections,
    `- Your message has ${words} ${words === 1 ? "word" : "words"} and ${said.length} characters.`,
    `- This is turn ${turn} of our conversation; replies stream word by word, so try *Stop* mid-answer.`,
    "- Ask for *code*, a *table*, *steps* or a *quote* (or say *markdown* for all of them) to see how replies render.",
    "- Set `AI_GATEWAY_API_KEY`, `OPENAI_API_KEY` or `OPENAI_BASE_URL` to talk to a real model.",
  ].join("\n");
}
