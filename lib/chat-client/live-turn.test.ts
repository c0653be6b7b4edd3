import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../wire/types";
import { placeTurn } from "./live-turn";

const msg = (id: string, role: "user" | "assistant"): ChatMessage => ({
  id,
  role,
  parts: [{ type: "text", text: id }],
});
const ids = (messages: ChatMessage[]) => messages.map((m) => m.id);
const stored = [msg("u1", "user"), msg("a1", "assistant")];

describe("placeTurn", () => {
  it("adds a new message sent from another tab after the stored ones", () => {
    expect(ids(placeTurn(stored, { user: msg("u2", "user"), at: 2, stream_id: "s" }))).toEqual([
      "u1",
      "a1",
      "u2",
    ]);
  });
  it("drops the reply a regenerate replaces, keeping its user message once", () => {
    expect(ids(placeTurn(stored, { user: msg("u1", "user"), at: 0, stream_id: "s" }))).toEqual(["u1"]);
  });
  it("replaces the user message an edit replaces", () => {
    expect(ids(placeTurn(stored, { user: msg("u1b", "user"), at: 0, stream_id: "s" }))).toEqual(["u1b"]);
  });
  it("drops the partial reply a tab shows when it picks the same reply up again", () => {
    const partial = [...stored, msg("u2", "user"), msg("a2", "assistant")];
    expect(ids(placeTurn(partial, { user: msg("u2", "user"), at: 2, stream_id: "s" }))).toEqual([
      "u1",
      "a1",
      "u2",
    ]);
  });
});
