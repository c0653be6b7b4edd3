// The store deadline measures the store, not the event loop: a busy server never declares a healthy store dead.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreTimeoutError, withDeadline } from "./deadline";

/** Keeps the event loop busy for `ms`, as a flood of requests on a saturated server does. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe("withDeadline", () => {
  let url: string;
  const server = createServer((_req, res) => setTimeout(() => res.end("answer"), 20));
  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => server.close());
  const storeCall = () => fetch(url).then((r) => r.text());

  it("settles as the store call does", async () => {
    expect(await withDeadline(storeCall(), 500)).toBe("answer");
    await expect(withDeadline(Promise.reject(new Error("ECONNREFUSED")), 500)).rejects.toThrow(
      "ECONNREFUSED",
    );
  });

  it("rejects with StoreTimeoutError when the store never answers", async () => {
    const started = performance.now();
    await expect(withDeadline(new Promise(() => {}), 100)).rejects.toBeInstanceOf(StoreTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it("does not count a busy event loop against the store (a plain timer would)", async () => {
    // A plain setTimeout race, for comparison: the loop is blocked past the timeout, so when it frees the
    // timer runs before the answer that is already waiting in the socket is read.
    const plain = Promise.race([
      storeCall(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("plain timeout")), 100)),
    ]);
    blockEventLoop(400);
    await expect(plain).rejects.toThrow("plain timeout");

    const guarded = withDeadline(storeCall(), 100);
    blockEventLoop(400);
    expect(await guarded).toBe("answer");
  });
});
