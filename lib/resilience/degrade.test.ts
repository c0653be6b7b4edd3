import { afterEach, describe, expect, it } from "vitest";
import { degradeOnFailure, requireStore } from "./degrade";
import { reportStoreSuccess, storeFailingSince } from "./store-health";

const failing = () => Promise.reject(new Error("ECONNREFUSED"));

describe("degradeOnFailure", () => {
  afterEach(() => reportStoreSuccess());

  it("falls back on failure and opens the circuit; later calls skip the store", async () => {
    expect(await degradeOnFailure(failing, "fallback")).toBe("fallback");
    expect(storeFailingSince()).not.toBeNull();
    let called = false;
    expect(
      await degradeOnFailure(async () => {
        called = true;
        return "live";
      }, "fallback"),
    ).toBe("fallback");
    expect(called).toBe(false);
  });

  it("probes again after a pause and closes the circuit when the store answers", async () => {
    await degradeOnFailure(failing, 0);
    expect(storeFailingSince()).not.toBeNull();
    await new Promise((r) => setTimeout(r, 2_050));
    expect(await degradeOnFailure(async () => 42, 0)).toBe(42);
    expect(storeFailingSince()).toBeNull();
  });

  it("requireStore turns a failure into a 503 ApiError", async () => {
    await expect(requireStore(failing)).rejects.toMatchObject({ code: "unavailable", status: 503 });
  });
});
