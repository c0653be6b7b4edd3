// Blocks hold while Redis hangs: each instance's local fallback enforces the blocks it has seen or made.
import { describe, expect, it, vi } from "vitest";
import { services } from "@/lib/services";
import { ADMIN_ENV, adminCall, adminJson } from "../support/admin";
import { type Caller, guestCaller, sendChat, userKeyOf, userToken } from "../support/app";
import { redisBackend, useSuiteApp } from "./suite";

const backend = redisBackend();

describe("blocks during a Redis outage (redis)", () => {
  useSuiteApp(backend, { ...ADMIN_ENV, RATE_LIMIT_TIMEOUT_MS: "200" });

  it("a blocked user and a blocked address stay refused while Redis hangs; a lifted block stays lifted", async () => {
    const blockedIp = "198.51.100.120";
    const user: Caller = { bearer: await userToken("blocked-user"), ip: "198.51.100.121" };
    const bystander: Caller = { bearer: await userToken("bystander"), ip: "198.51.100.122" };
    expect((await sendChat(user)).status).toBe(200);
    // Blocked elsewhere (straight in the store, as another instance's operator would): seen here refusing.
    const until = Date.now() + 600_000;
    await services().operator.setBlock(
      { target: userKeyOf("blocked-user"), until, reason: "spam" },
      Date.now(),
    );
    expect((await sendChat(user)).body).toMatchObject({ error: "blocked", reason: "spam" });
    // Blocked through this instance, never seen refusing anyone yet.
    await adminJson("POST", "/api/admin/blocks", { key: `ip:${blockedIp}`, seconds: 600, reason: "botnet" });

    backend.pauseStore?.();
    try {
      const answers: string[] = [];
      for (let i = 0; i < 3; i++) {
        answers.push(`user:${(await sendChat(user)).status}`);
        answers.push(`guest:${(await sendChat(await guestCaller(blockedIp))).status}`);
        answers.push(
          `member:${(await sendChat({ bearer: await userToken(`m${i}`), ip: blockedIp })).status}`,
        );
        answers.push(`bystander:${(await sendChat(bystander)).status}`);
      }
      expect(answers).toEqual(
        Array.from({ length: 3 }, () => ["user:403", "guest:403", "member:403", "bystander:200"]).flat(),
      );
    } finally {
      backend.resumeStore?.();
    }

    // Lifted (through this instance) once Redis is back: the next outage does not bring the block back.
    await vi.waitFor(
      async () => {
        vi.setSystemTime(Date.now() + 2_100); // past the store-health probe interval
        const res = await adminCall("DELETE", `/api/admin/blocks?key=${userKeyOf("blocked-user")}`, {
          bearer: ADMIN_ENV.ADMIN_TOKEN,
          ip: "192.0.2.250",
        });
        expect(res.status).toBe(200);
      },
      { timeout: 10_000, interval: 200 },
    );
    backend.pauseStore?.();
    try {
      expect((await sendChat(user)).status).toBe(200);
    } finally {
      backend.resumeStore?.();
    }
  });
});
