// The offline demo replies: which prompts bring a code block, a table, steps or a quote, and that they are valid.
import { describe, expect, it } from "vitest";
import { demoSections, offlineReply } from "./offline-reply";

const reply = (text: string) => offlineReply([{ role: "user", content: [{ type: "text", text }] }]);
const fences = (text: string) => text.split("\n").filter((line) => line.startsWith("```"));

describe("offline demo replies", () => {
  it("a plain question gets the echo and the bullet list only", () => {
    const text = reply("What does a token bucket do?");
    expect(demoSections("What does a token bucket do?")).toEqual([]);
    expect(text).toContain("You said: “What does a token bucket do?”.");
    expect(text).toMatch(/\n- Your message has 6 words/);
    expect(fences(text)).toEqual([]);
    expect(text).not.toMatch(/^\|/m);
    expect(text).not.toMatch(/^\d+\. /m);
    expect(text).not.toMatch(/^> /m);
  });

  it("asking for code gives one closed, labelled fence with a line long enough to scroll sideways", () => {
    for (const [prompt, language] of [
      ["Write a TypeScript debounce function", "typescript"],
      ["Show me some code", "typescript"],
      ["A Python snippet please", "python"],
      ["Which shell command sends six messages?", "bash"],
    ] as const) {
      const text = reply(prompt);
      expect(fences(text), prompt).toEqual([`\`\`\`${language}`, "```"]);
      const body = text.split(`\`\`\`${language}\n`)[1]?.split("\n```")[0] ?? "";
      expect(Math.max(...body.split("\n").map((line) => line.length)), prompt).toBeGreaterThan(110);
    }
  });

  it("asking to compare gives a Markdown table with a header, a separator and three rows", () => {
    const text = reply("Compare fixed and sliding windows in a table");
    expect(demoSections("Compare fixed and sliding windows in a table")).toEqual(["table"]);
    const rows = text.split("\n").filter((line) => line.startsWith("|"));
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/^\|( --- \|)+$/);
    for (const row of rows) expect(row.split("|").length).toBe(rows[0]?.split("|").length);
  });

  it("asking for steps gives a numbered list; asking for a quote gives a blockquote", () => {
    expect(reply("List the steps to deploy on Vercel")).toMatch(/\n1\. .*\n2\. .*\n3\. .*\n4\. /);
    expect(reply("Give me a quote about limits")).toMatch(/\n> \S/);
  });

  it("'markdown' brings every section, in a fixed order", () => {
    expect(demoSections("Show me what Markdown can do")).toEqual(["steps", "code", "table", "quote"]);
    const text = reply("Show me what Markdown can do");
    const at = (pattern: RegExp) => text.search(pattern);
    expect(at(/^1\. /m)).toBeLessThan(at(/^```/m));
    expect(at(/^```/m)).toBeLessThan(at(/^\| /m));
    expect(at(/^\| /m)).toBeLessThan(at(/^> /m));
  });

  it("matches whole words only", () => {
    expect(demoSections("listen to the tablet encoder, unquoted")).toEqual([]);
  });
});
