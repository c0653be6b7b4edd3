// Conversation titles: a few words from the configured model, or a heuristic offline and on any failure.
import { generateText } from "ai";
import { services } from "../services";
import { DEFAULT_TITLE } from "../store/types";
import { cleanTitle } from "../text/sanitize";
import { type ChatModelInfo, titleModelOf } from "./model";

export const TITLE_MAX_CHARS = 60;
// One default title for the whole app: the store gives it to new conversations, the heuristic to empty text.
export { DEFAULT_TITLE };

const HEURISTIC_WORDS = 6;
const TITLE_TIMEOUT_MS = 10_000;
const CONTEXT_CHARS = 1_000;

const TITLE_INSTRUCTIONS =
  "Write a 3–6 word title for this chat conversation. Reply with the title only: " +
  "no quotes, no trailing punctuation, no prefix like 'Title:'.";

/** At most TITLE_MAX_CHARS characters, cut at a word when one ends late enough; never inside a character. */
function clamp(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= TITLE_MAX_CHARS) return text;
  const cut = chars.slice(0, TITLE_MAX_CHARS - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > cut.length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function sentenceCase(text: string): string {
  // Only the first letter changes, so acronyms and names (API, iPhone) survive.
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** The first few words of the user's message, sentence-cased, ≤ 60 chars; "New chat" when empty. */
export function heuristicTitle(userText: string): string {
  const words = cleanTitle(userText)
    .replace(/[`*_#>[\]]+/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, HEURISTIC_WORDS);
  const title = words.join(" ").replace(/[\s.,;:!?…-]+$/u, "");
  return title === "" ? DEFAULT_TITLE : clamp(sentenceCase(title));
}

/** Normalizes a model's answer: first line, no "Title:" prefix, quotes or trailing punctuation; "" if unusable. */
export function cleanModelTitle(raw: string): string {
  const line =
    raw
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? "";
  const title = cleanTitle(line)
    .replace(/^\**\s*title\s*:\s*\**\s*/i, "")
    .replace(/^[\s"'“”‘’`*#]+|[\s"'“”‘’`*.,;:!]+$/gu, "");
  return title === "" ? "" : clamp(sentenceCase(title));
}

export interface TitleOptions {
  abortSignal?: AbortSignal;
  /** Defaults to the process's title model (titleModelOf); null forces the heuristic. */
  model?: ChatModelInfo | null;
  timeoutMs?: number;
}

/** Never throws: any model error, timeout, abort or empty answer falls back to heuristicTitle(userText). */
export async function generateConversationTitle(
  userText: string,
  assistantText?: string,
  opts: TitleOptions = {},
): Promise<string> {
  const fallback = heuristicTitle(userText);
  const info = opts.model === undefined ? titleModelOf(services().model) : opts.model;
  if (!info || userText.trim() === "") return fallback;
  const transcript = [`User: ${userText.slice(0, CONTEXT_CHARS)}`];
  if (assistantText) transcript.push(`Assistant: ${assistantText.slice(0, CONTEXT_CHARS)}`);
  try {
    const { text } = await generateText({
      model: info.model,
      instructions: TITLE_INSTRUCTIONS,
      prompt: transcript.join("\n\n"),
      maxOutputTokens: 64,
      // Reasoning models would otherwise spend the small budget thinking and return no text;
      // local OpenAI-compatible servers may reject reasoning_effort, so they keep their default.
      reasoning: info.provider === "openai-compatible" ? undefined : "minimal",
      // A title is a nicety: fail fast to the heuristic rather than sit in retry back-off.
      maxRetries: 0,
      timeout: opts.timeoutMs ?? TITLE_TIMEOUT_MS,
      abortSignal: opts.abortSignal,
    });
    return cleanModelTitle(text) || fallback;
  } catch (error) {
    console.warn(`[ai/title] ${info.label}: title generation failed, using heuristic:`, errorMessage(error));
    return fallback;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
