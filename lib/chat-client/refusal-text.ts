// A 429 in a person's words: which limit, how long, until when — from the body's fields, never from guesses.
import type { RateLimitLayerName, RateLimitScope } from "../wire/types";
import { isLayerName, isScope, num } from "./body-fields";
import { clockTime, messagesCount, relativeWait, SECONDS_UP_TO, secondsLeft, shortWait } from "./time-words";

/** What a 429 said, with the end of the wait on this device's clock (the server's may differ). */
export interface Refusal {
  scope: RateLimitScope;
  /** The layer that refused (absent for concurrency, or from an older server). */
  layer: RateLimitLayerName | null;
  limit: number;
  windowSeconds: number;
  /** The whole wait, in seconds, as the answer gave it: it picks the sentence's form for the whole countdown. */
  waitSeconds: number;
  /** Epoch ms (this device's clock) when sending is possible again. */
  until: number;
}

/**
 * Reads a 429 body defensively (a proxy's 429 has none of these fields). The wait is taken from
 * `retry_after_seconds` (or the Retry-After header) counted from when the answer arrived, not from
 * `resets_at`: a device whose clock is off would otherwise show a wrong countdown.
 */
export function refusalFromBody(body: unknown, retryAfterSeconds: number | undefined, now: number): Refusal {
  const fields: Record<string, unknown> = body && typeof body === "object" ? (body as never) : {};
  const retry = Math.max(1, Math.ceil(num(fields.retry_after_seconds) || retryAfterSeconds || 1));
  return {
    scope: isScope(fields.scope) ? fields.scope : "user",
    layer: isLayerName(fields.layer) ? fields.layer : null,
    limit: num(fields.limit),
    windowSeconds: num(fields.window_seconds),
    waitSeconds: retry,
    until: now + retry * 1000,
  };
}

/** The visible sentence: `ticking` is the part that changes as time passes, rendered outside live regions. */
export interface RefusalSentence {
  before: string;
  ticking: string;
  after: string;
}

/** Why it was refused, without the wait: "You're sending messages a bit fast". */
export function reason(refusal: Refusal): string {
  if (refusal.scope === "concurrency") {
    const replies = refusal.limit === 1 ? "a reply" : `${refusal.limit || "a few"} replies`;
    return `Wait for a reply to finish — you can have ${replies} in progress at once`;
  }
  // The model's capacity for the whole app is full: nobody's fault, and no plan buys room in it.
  if (refusal.scope === "model") return "The assistant is busy right now";
  switch (refusal.layer) {
    case "min":
      return "You're sending messages a bit fast";
    case "model-min":
      return "You're sending messages to this model a bit fast";
    case "model-hour":
      return `You've reached this model's hourly limit of ${messagesCount(refusal.limit)}`;
    case "hour":
      return `You've reached the hourly limit of ${messagesCount(refusal.limit)}`;
    case "ip-min":
      return "Too many messages from your network right now";
    default:
      return "You've reached a message limit";
  }
}

/**
 * The bubble's sentence at `now`. Short waits keep the seed's form ("— please wait ~42s"); longer ones say
 * when it frees in the person's clock and how long that is ("— you can send again at 14:32 (in ~23 minutes)").
 */
export function refusalSentence(
  refusal: Refusal,
  now: number,
  locale?: string | string[],
  timeZone?: string,
): RefusalSentence {
  const left = secondsLeft(refusal.until, now);
  const why = reason(refusal);
  // A reply in progress frees its slot when it ends, which no clock tells: never "you can send again" for it.
  if (left === 0 && refusal.scope === "concurrency") return { before: `${why}.`, ticking: "", after: "" };
  if (left === 0) return { before: `${why} — you can send again now`, ticking: "", after: "" };
  if (refusal.scope === "concurrency")
    return { before: `${why}. Try again in `, ticking: shortWait(left), after: "" };
  if (isShortWait(refusal)) {
    return { before: `${why} — please wait `, ticking: shortWait(left), after: "" };
  }
  return {
    before: `${why} — you can send again at ${clockTime(refusal.until, now, locale, timeZone)} `,
    ticking: `(${relativeWait(left)})`,
    after: "",
  };
}

/**
 * Whether the wait belongs to the model (its capacity, or the person's limits with it): choosing another model
 * ends it for this conversation, and the held messages may go with the new one.
 */
export function isModelWait(refusal: Refusal): boolean {
  return refusal.scope === "model" || refusal.layer === "model-min" || refusal.layer === "model-hour";
}

/** Waits longer than this are never sent unattended: the person confirms with Send now once the wait is over. */
export const UNATTENDED_SEND_MAX_SECONDS = 5 * 60;

/** Whether held messages may go by themselves when this wait ends ("Send when ready"). */
export function mayAutoSend(refusal: Refusal): boolean {
  return refusal.waitSeconds <= UNATTENDED_SEND_MAX_SECONDS;
}

const PER_MINUTE_LAYERS: readonly RateLimitLayerName[] = [
  "min",
  "ip-min",
  "model-min",
  "model-rpm",
  "model-tpm",
];

/**
 * Said in seconds: waits under 90 s, and every per-minute refusal (the seed's sentence). Chosen from the whole
 * wait, so the sentence never changes form while the last 90 seconds tick by.
 */
function isShortWait(refusal: Refusal): boolean {
  const perMinute = refusal.layer !== null && PER_MINUTE_LAYERS.includes(refusal.layer);
  return refusal.waitSeconds < SECONDS_UP_TO || (perMinute && refusal.windowSeconds <= SECONDS_UP_TO);
}

/** Said once when the refusal appears: what happened, that nothing is lost, and how long. */
export function refusalAnnouncement(
  refusal: Refusal,
  held: number,
  now: number,
  locale?: string | string[],
  timeZone?: string,
): string {
  const left = secondsLeft(refusal.until, now);
  const kept = held === 1 ? "Your message is held, not sent." : `${messagesCount(held)} are held, not sent.`;
  if (refusal.scope === "concurrency")
    return `${reason(refusal)}. ${held > 0 ? `${kept} ` : ""}Try again once a reply has finished.`;
  const when = isShortWait(refusal)
    ? `You can send again ${relativeWait(left, "about ")}.`
    : `You can send again at ${clockTime(refusal.until, now, locale, timeZone)}, ${relativeWait(left, "about ")}.`;
  return `${reason(refusal)}. ${held > 0 ? `${kept} ` : ""}${when}`;
}

/**
 * Said once when the wait is over. After a refusal for replies in progress the wait only says when a slot could
 * free at the soonest (a reply that is still being written keeps it), so it never says "you can send again".
 */
export function waitOverAnnouncement(
  held: number,
  sendingAutomatically: boolean,
  afterReplyLimit = false,
): string {
  if (afterReplyLimit) {
    const them = held === 1 ? "your held message" : messagesCount(held);
    if (held === 0) return "A reply may have finished by now: try sending again.";
    if (sendingAutomatically) return `Trying ${them} again: a reply may have finished by now.`;
    return `${held === 1 ? "1 message is" : `${messagesCount(held)} are`} still held. Once a reply has finished, use Send now to try again.`;
  }
  if (held === 0) return "You can send messages again.";
  if (sendingAutomatically)
    return `You can send again: sending ${held === 1 ? "your held message" : `${messagesCount(held)}`} now.`;
  return `You can send again. ${held === 1 ? "1 message is" : `${messagesCount(held)} are`} still held: use Send now to send ${held === 1 ? "it" : "them"}.`;
}

/**
 * What the armed "Send when ready" will do, in the countdown's words: "2 held messages will be sent at
 * 14:32" / "…when the wait ends".
 */
export function autoSendPlan(
  held: number,
  refusal: Refusal | null,
  now: number,
  locale?: string | string[],
): string {
  const what = held === 1 ? "Your held message" : `${messagesCount(held)}`;
  const verb = held === 1 ? "will be sent" : "will be sent in order";
  if (!refusal || secondsLeft(refusal.until, now) === 0) return `${what} ${verb} now.`;
  if (isShortWait(refusal)) return `${what} ${verb} as soon as the wait ends.`;
  return `${what} ${verb} at ${clockTime(refusal.until, now, locale)}.`;
}
