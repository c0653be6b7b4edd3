import { describe, expect, it } from "vitest";
import { clockTime, messagesCount, relativeWait, secondsLeft, shortWait, waitUnit } from "./time-words";

describe("waitUnit", () => {
  it("says seconds under 90 s, minutes under 90 min, hours (to 0.1) beyond", () => {
    expect(waitUnit(0.2)).toEqual({ value: 1, unit: "second" });
    expect(waitUnit(89)).toEqual({ value: 89, unit: "second" });
    expect(waitUnit(90)).toEqual({ value: 2, unit: "minute" });
    expect(waitUnit(3596)).toEqual({ value: 60, unit: "minute" });
    expect(waitUnit(5399)).toEqual({ value: 90, unit: "minute" });
    expect(waitUnit(5400)).toEqual({ value: 1.5, unit: "hour" });
    expect(waitUnit(2.3 * 3600)).toEqual({ value: 2.5, unit: "hour" });
    expect(waitUnit(15.7 * 3600)).toEqual({ value: 16, unit: "hour" });
    expect(waitUnit(7 * 3600 + 100)).toEqual({ value: 7, unit: "hour" });
  });
});

describe("relativeWait", () => {
  it("puts the approximation before the number, worded by Intl", () => {
    expect(relativeWait(23 * 60 - 5)).toBe("in ~23 minutes");
    expect(relativeWait(1)).toBe("in ~1 second");
    expect(relativeWait(45, "about ")).toBe("in about 45 seconds");
    expect(relativeWait(3 * 3600)).toBe("in ~3 hours");
  });
  it("follows the language given", () => {
    expect(relativeWait(23 * 60, "~", "de")).toBe("in ~23 Minuten");
  });
});

describe("clockTime", () => {
  const now = Date.UTC(2026, 10, 30, 14, 9, 0);
  it("uses the person's locale: 24-hour or 12-hour", () => {
    const at = Date.UTC(2026, 10, 30, 14, 32, 0);
    expect(clockTime(at, now, "en-GB", "UTC")).toBe("14:32");
    expect(clockTime(at, now, "en-US", "UTC")).toMatch(/^2:32\sPM$/);
  });
  it("names the day when the time is not today in the person's time zone", () => {
    const at = Date.UTC(2026, 11, 1, 0, 0, 0);
    expect(clockTime(at, now, "en-GB", "UTC")).toBe("00:00 tomorrow");
    // The same instant is still Monday evening in New York.
    expect(clockTime(at, now, "en-US", "America/New_York")).toMatch(/^7:00\sPM$/);
    expect(clockTime(Date.UTC(2026, 11, 3, 9, 0, 0), now, "en-GB", "UTC")).toBe("Thu 09:00");
  });
});

describe("small words", () => {
  it("counts and rounds as a person would", () => {
    expect(secondsLeft(10_001, 0)).toBe(11);
    expect(secondsLeft(0, 5_000)).toBe(0);
    expect(shortWait(41.2)).toBe("~42s");
    expect(messagesCount(1)).toBe("1 message");
    expect(messagesCount(2)).toBe("2 messages");
  });
});
