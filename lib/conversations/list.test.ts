import { afterEach, describe, expect, it } from "vitest";
import { filterByTitle, groupByRecency, recencyGroup } from "./list";

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

/** A local wall-clock time in the current process.env.TZ. */
const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

describe("recencyGroup", () => {
  it("splits by local calendar days: today, yesterday, the 7 days before, older", () => {
    process.env.TZ = "Europe/Berlin";
    const now = new Date(local(2026, 5, 20, 9, 30));
    expect(recencyGroup(local(2026, 5, 20, 0, 0), now)).toBe("Today");
    expect(recencyGroup(local(2026, 5, 20, 23, 59), now)).toBe("Today"); // ahead of our clock
    expect(recencyGroup(local(2026, 5, 19, 23, 59), now)).toBe("Yesterday");
    expect(recencyGroup(local(2026, 5, 19, 0, 0), now)).toBe("Yesterday");
    expect(recencyGroup(local(2026, 5, 18, 23, 59), now)).toBe("Previous 7 days");
    expect(recencyGroup(local(2026, 5, 12, 0, 0), now)).toBe("Previous 7 days");
    expect(recencyGroup(local(2026, 5, 11, 23, 59), now)).toBe("Older");
    expect(recencyGroup(0, now)).toBe("Older");
  });

  it("uses the user's time zone, not UTC", () => {
    const instant = Date.UTC(2026, 4, 19, 23, 30); // 23:30 UTC on May 19
    const nowInstant = Date.UTC(2026, 4, 20, 8, 0);
    process.env.TZ = "UTC";
    expect(recencyGroup(instant, new Date(nowInstant))).toBe("Yesterday");
    process.env.TZ = "Asia/Tokyo"; // 08:30 on May 20 there
    expect(recencyGroup(instant, new Date(nowInstant))).toBe("Today");
    process.env.TZ = "America/Los_Angeles"; // 16:30 on May 19; now is 01:00 on May 20
    expect(recencyGroup(instant, new Date(nowInstant))).toBe("Yesterday");
  });

  it("counts a 23-hour DST day as one day", () => {
    process.env.TZ = "America/New_York"; // clocks went forward on 2026-03-08
    const now = new Date(local(2026, 3, 9, 0, 30));
    expect(recencyGroup(local(2026, 3, 8, 0, 15), now)).toBe("Yesterday");
    expect(recencyGroup(local(2026, 3, 7, 23, 45), now)).toBe("Previous 7 days");
    expect(recencyGroup(local(2026, 3, 9, 0, 0), now)).toBe("Today");
  });
});

describe("groupByRecency", () => {
  it("keeps the given order inside groups and leaves out empty groups", () => {
    process.env.TZ = "UTC";
    const now = new Date(Date.UTC(2026, 0, 10, 12));
    const items = [
      { id: "a", updated_at: Date.UTC(2026, 0, 10, 11) },
      { id: "b", updated_at: Date.UTC(2026, 0, 10, 1) },
      { id: "c", updated_at: Date.UTC(2025, 11, 1) },
    ];
    expect(groupByRecency(items, now)).toEqual([
      { group: "Today", items: [items[0], items[1]] },
      { group: "Older", items: [items[2]] },
    ]);
    expect(groupByRecency([], now)).toEqual([]);
  });
});

describe("filterByTitle", () => {
  const items = [
    { title: "Café plans for Straße fest" },
    { title: "Rate limits in Redis" },
    { title: "Trip" },
  ];

  it("matches every word anywhere in the title, ignoring case and accents", () => {
    expect(filterByTitle(items, "cafe")).toEqual([items[0]]);
    expect(filterByTitle(items, "STRASSE plans")).toEqual([items[0]]);
    expect(filterByTitle(items, "redis rate")).toEqual([items[1]]);
    expect(filterByTitle(items, "redis trip")).toEqual([]);
    expect(filterByTitle(items, "  ")).toEqual(items);
  });
});
