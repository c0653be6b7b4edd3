// Cleans one line of user-visible text (conversation titles) so it can't hide, reorder or break what surrounds it.

/** The longest conversation title we keep, in characters (code points) after cleaning. */
export const MAX_TITLE_CHARS = 100;

// Control characters (C0, DEL, C1), bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069),
// which can make a title display in another order than it is stored, and lone surrogates (with the `u`
// flag \p{Cs} matches only unpaired halves; a paired emoji is one code point and is kept).
const UNSAFE = /[\p{Cc}\u202A-\u202E\u2066-\u2069\p{Cs}]/gu;
// JavaScript's \s leaves out NEL (U+0085), a line break in Unicode: it becomes a space like \n.
const WHITESPACE = /[\s\u0085]/;

/**
 * Trims, collapses every run of whitespace (newlines and tabs included) into one space, and removes control
 * characters, bidi override/embedding/isolate characters and lone surrogates. Letters, emoji (with their
 * joiners) and punctuation are kept as typed.
 */
export function cleanTitle(text: string): string {
  return text
    .replace(UNSAFE, (char) => (WHITESPACE.test(char) ? " " : ""))
    .replace(/\s+/g, " ")
    .trim();
}

/** Length in characters as a person counts them (code points, so an emoji is 1, not 2 UTF-16 units). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
