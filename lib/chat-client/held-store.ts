// What a conversation keeps in the browser so nothing typed is lost: the draft, the held messages (in order)
// and the wait a 429 started. One localStorage entry per conversation, removed once there is nothing to keep.
import { isLayerName, isScope } from "./body-fields";
import type { Refusal } from "./refusal-text";

/** A message that is not on the server yet: a send, an edit of the last message, or a new answer to it. */
export type HeldIntent = "send" | "edit" | "regenerate";
export interface HeldMessage {
  /** The user message's id (sent as is, so a repeat is recognised by the server as already received). */
  id: string;
  intent: HeldIntent;
  /** What the person typed (empty for regenerate). */
  text: string;
}

export interface SavedChat {
  draft: string;
  held: HeldMessage[];
  /** The last 429's wait, while it lasts. */
  wait: Refusal | null;
}

/** The subset of the DOM Storage interface this module uses (tests pass a Map-backed one). */
export type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

const PREFIX = "throttled-chat:chat:";
/** The new chat (never sent to, so not in the URL) whose draft a reload brings back. */
const FRESH_KEY = "throttled-chat:fresh-chat";
/** Entries untouched this long are dropped: a draft from last month is clutter, not a loss. */
export const KEEP_FOR_MS = 30 * 24 * 3600 * 1000;

export const EMPTY_CHAT: SavedChat = { draft: "", held: [], wait: null };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function readHeld(value: unknown): HeldMessage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    isObject(item) &&
    typeof item.id === "string" &&
    typeof item.text === "string" &&
    (item.intent === "send" || item.intent === "edit" || item.intent === "regenerate")
      ? [{ id: item.id, intent: item.intent, text: item.text }]
      : [],
  );
}

function readWait(value: unknown, now: number): Refusal | null {
  if (!isObject(value) || typeof value.until !== "number" || value.until <= now) return null;
  const { scope, layer, limit, windowSeconds, waitSeconds, until } = value;
  if (!isScope(scope)) return null;
  if (layer !== null && !isLayerName(layer)) return null;
  if (typeof limit !== "number" || typeof windowSeconds !== "number" || typeof waitSeconds !== "number")
    return null;
  return { scope, layer, limit, windowSeconds, waitSeconds, until };
}

/** The conversation's saved state; empty when there is none, or it is unreadable (never throws). */
export function readSavedChat(storage: KeyValueStorage | null, id: string, now: number): SavedChat {
  try {
    const raw = storage?.getItem(PREFIX + id);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (!isObject(parsed)) return EMPTY_CHAT;
    return {
      draft: typeof parsed.draft === "string" ? parsed.draft : "",
      held: readHeld(parsed.held),
      wait: readWait(parsed.wait, now),
    };
  } catch {
    return EMPTY_CHAT;
  }
}

export function hasContent(saved: SavedChat): boolean {
  return saved.draft.trim() !== "" || saved.held.length > 0;
}

/** Saves (or removes, when empty) the conversation's state. A full or disabled storage loses only the copy. */
export function writeSavedChat(
  storage: KeyValueStorage | null,
  id: string,
  saved: SavedChat,
  now: number,
): void {
  try {
    if (!hasContent(saved) && !saved.wait) storage?.removeItem(PREFIX + id);
    else storage?.setItem(PREFIX + id, JSON.stringify({ ...saved, saved_at: now }));
  } catch {
    // quota exceeded or storage disabled (private mode): what is on screen is still there
  }
}

/** Drops entries older than KEEP_FOR_MS (and unreadable ones). */
export function pruneSavedChats(storage: KeyValueStorage | null, now: number): void {
  if (!storage) return;
  try {
    const stale: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      let savedAt = 0;
      try {
        const parsed: unknown = JSON.parse(storage.getItem(key) ?? "null");
        if (isObject(parsed) && typeof parsed.saved_at === "number") savedAt = parsed.saved_at;
      } catch {
        // unreadable: dropped below
      }
      if (now - savedAt > KEEP_FOR_MS) stale.push(key);
    }
    for (const key of stale) storage.removeItem(key);
  } catch {
    // storage disabled
  }
}

/** The id of the new chat whose unsent draft a reload should bring back, if it still has one. */
export function readFreshChat(storage: KeyValueStorage | null, now: number): string | null {
  try {
    const id = storage?.getItem(FRESH_KEY) ?? null;
    return id && hasContent(readSavedChat(storage, id, now)) ? id : null;
  } catch {
    return null;
  }
}

/** Marks `id` as the new chat to bring back (null: none, e.g. once it has been sent to and is in the URL). */
export function writeFreshChat(storage: KeyValueStorage | null, id: string | null): void {
  try {
    if (id) storage?.setItem(FRESH_KEY, id);
    else storage?.removeItem(FRESH_KEY);
  } catch {
    // storage disabled
  }
}

/** Forgets `id` as the new chat to bring back (it has been sent to, so the URL names it now). */
export function forgetFreshChat(storage: KeyValueStorage | null, id: string): void {
  try {
    if (storage?.getItem(FRESH_KEY) === id) storage.removeItem(FRESH_KEY);
  } catch {
    // storage disabled
  }
}

/** localStorage when the browser allows it (it throws in some privacy modes), else null. */
export function browserStorage(): KeyValueStorage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}
