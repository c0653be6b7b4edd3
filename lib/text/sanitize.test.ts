import { describe, expect, it } from "vitest";
import { characterCount, cleanTitle } from "./sanitize";

describe("cleanTitle", () => {
  it("trims and collapses whitespace of every kind into single spaces", () => {
    expect(cleanTitle("  Trip\tplanning \n\n for   May \u00a0 ")).toBe("Trip planning for May");
    expect(cleanTitle("line\r\nbreak\u2028sep\u3000wide")).toBe("line break sep wide");
    expect(cleanTitle(" \n\t ")).toBe("");
  });

  it("removes control characters without gluing words together", () => {
    expect(cleanTitle("bell\u0007 null\u0000 del\u007f c1\u0085x\u009b")).toBe("bell null del c1 x");
    expect(cleanTitle("a \u0000 b")).toBe("a b");
  });

  it("removes bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)", () => {
    const spoofed = "invoice\u202Efdp.exe\u202C";
    expect(cleanTitle(spoofed)).toBe("invoicefdp.exe");
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(cleanTitle(`a${String.fromCodePoint(code)}b`)).toBe("ab");
    }
    // Ordinary right-to-left text and marks are kept.
    expect(cleanTitle("שלום \u200fworld")).toBe("שלום \u200fworld");
  });

  it("removes lone surrogates and keeps paired ones (emoji, including ZWJ sequences)", () => {
    expect(cleanTitle("broken \ud83d end")).toBe("broken end");
    expect(cleanTitle("tail\udc00")).toBe("tail");
    expect(cleanTitle("\udc00\ud800")).toBe("");
    expect(cleanTitle("Party 🎉 family 👩‍👩‍👧")).toBe("Party 🎉 family 👩‍👩‍👧");
  });

  it("is idempotent", () => {
    const messy = "  a\u202e\t\u0000b  \ud800 c ";
    expect(cleanTitle(cleanTitle(messy))).toBe(cleanTitle(messy));
  });
});

describe("characterCount", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(characterCount("abc")).toBe(3);
    expect(characterCount("🎉🎉")).toBe(2);
    expect("🎉🎉".length).toBe(4);
  });
});
