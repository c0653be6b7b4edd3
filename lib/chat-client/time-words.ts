// How long and until when, in the words and units a person uses: "~45s", "in ~23 minutes", "14:32".

/**
 * The language of the app's own sentences. Relative times are worded in it, so they read as part of the
 * sentence; clock times follow the person's locale (12- or 24-hour, as their other apps show it).
 */
export const UI_LANGUAGE = "en";

/** Waits shorter than this are said in seconds ("~45s"); the seed's per-minute sentence uses them. */
export const SECONDS_UP_TO = 90;

export type WaitUnit = { value: number; unit: "second" | "minute" | "hour" };

/**
 * The unit a person would use for a wait: seconds under 90 s, minutes under 90 min, else hours — to the half
 * hour under 3 hours ("~1.5 hours"), whole hours beyond ("~16 hours", not "~15.7").
 */
export function waitUnit(seconds: number): WaitUnit {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < SECONDS_UP_TO) return { value: s, unit: "second" };
  if (s < SECONDS_UP_TO * 60) return { value: Math.ceil(s / 60), unit: "minute" };
  const hours = s / 3600;
  return { value: hours < 3 ? Math.round(hours * 2) / 2 : Math.round(hours), unit: "hour" };
}

/** Whole seconds from `now` until `until` (epoch ms), never negative. */
export function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** "~45s": the seed's short form, kept for waits under 90 seconds. */
export function shortWait(seconds: number): string {
  return `~${Math.max(1, Math.ceil(seconds))}s`;
}

/**
 * "in ~23 minutes" (`approx: "~"`) or "in about 23 minutes" (`approx: "about "`, for screen readers, which
 * read "~" as "tilde"): Intl.RelativeTimeFormat with the approximation put before the number.
 */
export function relativeWait(seconds: number, approx = "~", language = UI_LANGUAGE): string {
  const { value, unit } = waitUnit(seconds);
  const parts = new Intl.RelativeTimeFormat(language, { numeric: "always", style: "long" }).formatToParts(
    value,
    unit,
  );
  let marked = false;
  return parts
    .map((part) => {
      if (marked || part.type === "literal") return part.value;
      marked = true;
      return `${approx}${part.value}`;
    })
    .join("");
}

/**
 * The clock time of `at` in the person's locale ("14:32" or "2:32 PM"), with the day when it is not today
 * ("00:00 tomorrow", "Tue 09:00"), so that a time after midnight is never mistaken for one today. `timeZone`
 * defaults to the device's.
 */
export function clockTime(at: number, now: number, locale?: string | string[], timeZone?: string): string {
  const dayOf = (t: number) => {
    const [y, m, d] = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    })
      .format(t)
      .split("-")
      .map(Number);
    return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / 86_400_000;
  };
  const days = dayOf(at) - dayOf(now);
  const time = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: "short" }).format(at);
  if (days === 0) return time;
  if (days === 1)
    return `${time} ${new Intl.RelativeTimeFormat(UI_LANGUAGE, { numeric: "auto" }).format(1, "day")}`;
  const weekday = new Intl.DateTimeFormat(locale, { timeZone, weekday: "short" }).format(at);
  return `${weekday} ${time}`;
}

/** "1 message", "2 messages". */
export function messagesCount(n: number): string {
  return `${n} ${n === 1 ? "message" : "messages"}`;
}
