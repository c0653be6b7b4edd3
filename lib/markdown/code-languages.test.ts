import { describe, expect, it } from "vitest";
import { CODE_LANGUAGES, PLAIN_TEXT_LABEL, resolveCodeLanguage } from "./code-languages";

describe("resolveCodeLanguage", () => {
  it("maps ids and aliases, in any case, to one grammar and its label", () => {
    expect(resolveCodeLanguage("ts")).toEqual({ id: "typescript", label: "TypeScript" });
    expect(resolveCodeLanguage("TypeScript")).toEqual({ id: "typescript", label: "TypeScript" });
    expect(resolveCodeLanguage(" PY ")).toEqual({ id: "python", label: "Python" });
    expect(resolveCodeLanguage("sh")).toEqual({ id: "bash", label: "Bash" });
    expect(resolveCodeLanguage("c++")).toEqual({ id: "cpp", label: "C++" });
  });

  it("shows plain text for no tag or a text tag, and an unknown tag under its own (shortened) name", () => {
    expect(resolveCodeLanguage(undefined)).toEqual({ id: null, label: PLAIN_TEXT_LABEL });
    expect(resolveCodeLanguage("")).toEqual({ id: null, label: PLAIN_TEXT_LABEL });
    expect(resolveCodeLanguage("plaintext")).toEqual({ id: null, label: PLAIN_TEXT_LABEL });
    expect(resolveCodeLanguage("Brainfuck")).toEqual({ id: null, label: "brainfuck" });
    expect(resolveCodeLanguage("x".repeat(60)).label).toHaveLength(24);
  });

  it("gives every alias exactly one language", () => {
    const seen = new Map<string, string>();
    for (const [id, { aliases }] of Object.entries(CODE_LANGUAGES)) {
      for (const tag of [id, ...aliases]) {
        expect(seen.get(tag), tag).toBeUndefined();
        seen.set(tag, id);
      }
    }
  });
});
