// `next start` instances share one Redis: 60 concurrent requests from one user admit exactly the limit, and a
// model's app-wide capacity holds for every caller on every instance.

import type { AppServer } from "../test/support/app-server";
import { expect, postChat, test, withRedisBackedApps } from "../test/support/e2e";

test.describe("limits across instances", () => {
  const shared = withRedisBackedApps(3, { AUTH_DEV_SIGNIN: "true", CHAT_MAX_CONCURRENT_STREAMS: "0" });

  test("60 concurrent same-user requests over 3 instances: exactly 5 admitted, 55 refused", async ({
    request,
  }) => {
    const signin = await request.post(`${shared.apps[0]?.url}/api/auth/dev-signin`, {
      data: { name: "Multi Instance" },
    });
    expect(signin.status()).toBe(200);
    const cookie = /chat_session=[^;]+/.exec(signin.headers()["set-cookie"] ?? "")?.[0];
    expect(cookie).toBeTruthy();

    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const app = shared.apps[i % shared.apps.length] as AppServer;
        const res = await postChat(app, `198.51.100.${i % 200}`, {
          text: `hello ${i}`,
          headers: { cookie: cookie as string },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 429).length;
    expect({ admitted, refused, other: 60 - admitted - refused }).toEqual({
      admitted: 5,
      refused: 55,
      other: 0,
    });
  });
});

test.describe("a model's capacity across instances", () => {
  // "smart" may take 4 requests a minute for the whole app (the provider's quota); anyone may use it.
  const CHAT_MODELS = JSON.stringify({
    fast: { label: "Fast", model: "fast-model" },
    smart: { label: "Smart", model: "smart-model", capacity: { requestsPerMinute: 4 } },
  });
  const shared = withRedisBackedApps(2, { CHAT_MODELS, CHAT_MAX_CONCURRENT_STREAMS: "0" });

  test("40 people at once over 2 instances: exactly the model's 4 admitted, 36 told it is busy, to the second", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const app = shared.apps[i % shared.apps.length] as AppServer;
        const res = await postChat(app, `203.0.113.${100 + i}`, { model: "smart" });
        const retryAfter = res.headers.get("retry-after");
        if (res.status === 200) await res.arrayBuffer();
        const body = res.status === 200 ? null : await res.json();
        return { status: res.status, body, retryAfter };
      }),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    const busy = answers.filter((a) => a.status === 429);
    expect(busy).toHaveLength(36);
    for (const { body, retryAfter } of busy) {
      expect(body).toMatchObject({ error: "rate_limited", scope: "model", layer: "model-rpm", limit: 4 });
      expect(retryAfter).toBe(String(body.retry_after_seconds));
    }
    // The model is full, not the app: the other model still answers on either instance.
    for (const app of shared.apps) {
      const res = await postChat(app as AppServer, "203.0.113.250", { model: "fast" });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
    }
  });
});
