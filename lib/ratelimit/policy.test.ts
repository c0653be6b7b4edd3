import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { chatLayers, layersFor } from "./policy";

const layers = chatLayers(parseConfig({}).rateLimit);
const anon = { user: null, limitKey: "ip:1.2.3.4", clientIp: "1.2.3.4" };
const user = { user: { id: "u1", name: "U" }, limitKey: "user:u1", clientIp: "1.2.3.4" };

describe("layersFor", () => {
  it("keys anonymous callers by IP and verified users by id", () => {
    expect(layersFor(layers, anon).map((c) => [c.layer.name, c.identifier])).toEqual([
      ["min", "ip:1.2.3.4"],
      ["hour", "ip:1.2.3.4"],
      ["ip-min", "anon:1.2.3.4"],
    ]);
    expect(layersFor(layers, user).map((c) => [c.layer.name, c.identifier])).toEqual([
      ["min", "user:u1"],
      ["hour", "user:u1"],
      ["ip-min", "verified:1.2.3.4"],
    ]);
  });

  it("drops layers whose limit is 0", () => {
    const partial = chatLayers(
      parseConfig({ RATE_LIMIT_CHAT_PER_HOUR: "0", RATE_LIMIT_CHAT_IP_PER_MIN: "0" }).rateLimit,
    );
    expect(layersFor(partial, anon).map((c) => c.layer.name)).toEqual(["min"]);
  });

  it("puts unparseable addresses in one shared bucket, never none", () => {
    const unknown = { user: null, limitKey: "ip:unknown", clientIp: "unknown" };
    expect(layersFor(layers, unknown).map((c) => c.identifier)).toEqual([
      "ip:unknown",
      "ip:unknown",
      "anon:unknown",
    ]);
  });
});
