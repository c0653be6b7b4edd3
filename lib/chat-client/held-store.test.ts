import { describe, expect, it } from "vitest";
import { memoryStorage } from "@/test/support/memory-storage";
import {
  EMPTY_CHAT,
  forgetFreshChat,
  KEEP_FOR_MS,
  type KeyValueStorage,
  pruneSavedChats,
  readFreshChat,
  readSavedChat,
  type SavedChat,
  writeFreshChat,
  writeSavedChat,
} from "./held-store";

const now = 1_800_000_000_000;
const saved: SavedChat = {
  draft: "half a thought",
  held: [
    { id: "m-1", intent: "send", text: "first" },
    { id: "m-2", intent: "edit", text: "second" },
    { id: "m-3", intent: "regenerate", text: "" },
  ],
  wait: { scope: "user", layer: "min", limit: 5, windowSeconds: 60, waitSeconds: 30, until: now + 30_000 },
};

describe("saved chats", () => {
  it("round-trip per conversation, in order", () => {
    const storage = memoryStorage();
    writeSavedChat(storage, "c-1", saved, now);
    expect(readSavedChat(storage, "c-1", now + 1000)).toEqual(saved);
    expect(readSavedChat(storage, "c-2", now)).toEqual(EMPTY_CHAT);
  });

  it("forget a wait that is over, and remove the entry when nothing is left", () => {
    const storage = memoryStorage();
    writeSavedChat(storage, "c-1", saved, now);
    expect(readSavedChat(storage, "c-1", now + 30_000).wait).toBeNull();
    writeSavedChat(storage, "c-1", EMPTY_CHAT, now);
    expect(storage.map.size).toBe(0);
  });

  it("read garbage as empty and skip malformed held messages", () => {
    const storage = memoryStorage();
    storage.setItem("throttled-chat:chat:c-1", "{not json");
    expect(readSavedChat(storage, "c-1", now)).toEqual(EMPTY_CHAT);
    storage.setItem(
      "throttled-chat:chat:c-2",
      JSON.stringify({
        draft: 5,
        held: [{ id: "ok", intent: "send", text: "kept" }, { id: 1 }, "x"],
        wait: { until: now + 5 },
      }),
    );
    expect(readSavedChat(storage, "c-2", now)).toEqual({
      draft: "",
      held: [{ id: "ok", intent: "send", text: "kept" }],
      wait: null,
    });
  });

  it("survive a storage that throws (private mode, quota)", () => {
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {
        throw new Error("denied");
      },
      key: () => null,
      length: 0,
    };
    expect(() => writeSavedChat(broken, "c", saved, now)).not.toThrow();
    expect(readSavedChat(broken, "c", now)).toEqual(EMPTY_CHAT);
    expect(readSavedChat(null, "c", now)).toEqual(EMPTY_CHAT);
  });

  it("prune entries untouched for a month", () => {
    const storage = memoryStorage();
    writeSavedChat(storage, "old", saved, now - KEEP_FOR_MS - 1);
    writeSavedChat(storage, "new", saved, now - 1000);
    storage.setItem("unrelated", "kept");
    pruneSavedChats(storage, now);
    expect([...storage.map.keys()].sort()).toEqual(["throttled-chat:chat:new", "unrelated"]);
  });
});

describe("the fresh chat", () => {
  it("is brought back only while it has something to keep", () => {
    const storage = memoryStorage();
    writeFreshChat(storage, "c-new");
    expect(readFreshChat(storage, now)).toBeNull();
    writeSavedChat(storage, "c-new", { ...EMPTY_CHAT, draft: "typing…" }, now);
    expect(readFreshChat(storage, now)).toBe("c-new");
    forgetFreshChat(storage, "c-other");
    expect(readFreshChat(storage, now)).toBe("c-new");
    forgetFreshChat(storage, "c-new");
    expect(readFreshChat(storage, now)).toBeNull();
    writeFreshChat(storage, "c-new");
    writeFreshChat(storage, null);
    expect(readFreshChat(storage, now)).toBeNull();
  });
});
