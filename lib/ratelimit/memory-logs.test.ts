// In-memory sliding logs: exact counts and frees, a mirror that never frees early, and a bounded size.
import { describe, expect, it } from "vitest";
import { MemoryLogs } from "./memory-logs";

const W = 60_000;

describe("MemoryLogs", () => {
  it("counts what was admitted in the last window and frees each entry exactly a window after it", () => {
    const logs = new MemoryLogs();
    expect(logs.state("a", 1_000, W, 3)).toEqual({ used: 0, freesAt: 1_000 });
    logs.add("a", "m1:l1", 1_000, W);
    logs.add("a", "m2:l2", 5_000, W);
    expect(logs.state("a", 60_999, W, 3)).toEqual({ used: 2, freesAt: 61_000 });
    expect(logs.state("a", 61_000, W, 3)).toEqual({ used: 1, freesAt: 65_000 });
    expect(logs.state("a", 65_000, W, 3)).toEqual({ used: 0, freesAt: 65_000 });
    expect(logs.size).toBe(0);
  });

  it("with more entries than the limit, the next frees when enough of the oldest have left", () => {
    const logs = new MemoryLogs();
    for (let i = 0; i < 5; i++) logs.add("a", `m${i}`, i * 1_000, W);
    // Limit 2: only one may be counted for another to pass, so four must leave; the fourth (3 s) at 63 s.
    expect(logs.state("a", 10_000, W, 2)).toEqual({ used: 5, freesAt: 63_000 });
  });

  it("mirrors a store's log from its count and oldest entry, never freeing earlier than the store would", () => {
    const logs = new MemoryLogs();
    logs.add("a", "local", 30_000, W);
    // The store counted 3, the oldest at 10 s; the two others somewhere up to now (40 s).
    logs.mirror("a", 3, 10_000 + W, 40_000, W);
    expect(logs.state("a", 40_000, W, 3)).toEqual({ used: 3, freesAt: 70_000 });
    // A store count below what this instance knows changes nothing.
    logs.mirror("a", 1, 40_000 + W, 40_000, W);
    expect(logs.state("a", 40_000, W, 3).used).toBe(3);
    expect(logs.state("a", 70_000, W, 3)).toEqual({ used: 2, freesAt: 100_000 });
  });

  it("sweeps expired logs and caps a flood of live ones", () => {
    const logs = new MemoryLogs(3_000);
    let now = 1_000_000;
    for (let i = 0; i < 2_000; i++) logs.add(`old-${i}`, "m", now, W);
    now += W + 1;
    for (let i = 0; i < 20_000; i++) logs.add(`new-${i}`, "m", now, W);
    expect(logs.size).toBeLessThanOrEqual(3_000);
    expect(logs.state("new-19999", now, W, 5).used).toBe(1);
    expect(logs.state("old-1", now, W, 5).used).toBe(0);
  });
});
