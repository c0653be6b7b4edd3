// In-memory windows stay bounded: expired ones are swept, and a flood of live ones is capped.
import { describe, expect, it } from "vitest";
import { MemoryWindows } from "./memory-windows";

describe("MemoryWindows", () => {
  it("counts within a window and reads 0 once it ended", () => {
    const windows = new MemoryWindows();
    windows.set("a", 3, 2_000, 1_000);
    expect(windows.count("a", 1_999)).toBe(3);
    expect(windows.count("a", 2_000)).toBe(0);
    windows.raise("a", 2, 2_000, 1_500);
    expect(windows.count("a", 1_500)).toBe(3);
    windows.raise("a", 5, 2_000, 1_500);
    expect(windows.count("a", 1_500)).toBe(5);
  });

  it("sweeps expired windows and caps a flood of live ones", () => {
    const windows = new MemoryWindows(3_000);
    let now = 1_000_000;
    for (let i = 0; i < 2_000; i++) windows.set(`old-${i}`, 1, now + 60_000, now);
    now += 60_001;
    for (let i = 0; i < 20_000; i++) windows.set(`new-${i}`, 1, now + 60_000, now);
    expect(windows.size).toBeLessThanOrEqual(3_000);
    // The newest survive the cap; the expired ones went first.
    expect(windows.count("new-19999", now)).toBe(1);
    expect(windows.count("old-1", now)).toBe(0);
  });
});
