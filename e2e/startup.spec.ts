// Start-up: one log line names the model and store; an invalid variable stops the server, naming it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { E2E_AUTH_SECRET, freePort, startApp } from "../test/support/app-server";
import { expect, test } from "../test/support/e2e";

async function runUntilExit(env: Record<string, string | undefined>, ms = 20_000) {
  const port = await freePort();
  const child = spawn("node_modules/.bin/next", ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NODE_ENV: "production", AUTH_SECRET: E2E_AUTH_SECRET, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, ms);
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output };
}

test("logs the model and store in use once at start-up", async ({ app }) => {
  await expect
    .poll(() => app.output())
    .toContain("[startup] model: Offline demo model; store and rate limits: in-memory");
  expect(app.output().match(/\[startup\]/g)).toHaveLength(1);
});

test("warns in production off Vercel when TRUSTED_PROXY_HOPS was left unset, not when it is set", async () => {
  const unset = await startApp({ TRUSTED_PROXY_HOPS: "" });
  try {
    await expect.poll(() => unset.output()).toContain("[startup] model:");
    expect(unset.output()).toContain("[startup] TRUSTED_PROXY_HOPS is not set");
  } finally {
    await unset.stop();
  }
  const set = await startApp({ TRUSTED_PROXY_HOPS: "1" });
  try {
    await expect.poll(() => set.output()).toContain("[startup] model:");
    expect(set.output()).not.toContain("TRUSTED_PROXY_HOPS");
  } finally {
    await set.stop();
  }
});

test("warns in production when AUTH_DEV_SIGNIN=true (anyone can sign in as anyone)", async () => {
  const app = await startApp({ AUTH_DEV_SIGNIN: "true" });
  try {
    await expect.poll(() => app.output()).toContain("[startup] model:");
    expect(app.output()).toContain("[startup] AUTH_DEV_SIGNIN=true in production");
  } finally {
    await app.stop();
  }
});

test("starts with a copied .env.example (blank means unset) on the embedded defaults", async () => {
  const env: Record<string, string> = {};
  for (const line of readFileSync(".env.example", "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1]) env[match[1]] = match[2] ?? "";
  }
  expect(env.OPENAI_BASE_URL).toBe("");
  const app = await startApp({ ...env, AUTH_SECRET: E2E_AUTH_SECRET });
  try {
    const health = await (await fetch(`${app.url}/api/health`)).json();
    expect(health).toEqual({
      status: "ok",
      store: "memory",
      model: "Offline demo model",
      provider: "offline",
    });
  } finally {
    await app.stop();
  }
});

test("GET /api/version answers the version and the built commit", async ({ request }) => {
  const res = await request.get("/api/version");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(body.commit === null || /^[0-9a-f]{40}$/.test(body.commit)).toBe(true);
});

for (const [variable, value] of [
  ["RATE_LIMIT_CHAT_PER_MIN", "five"],
  ["RATE_LIMIT_CHAT_IP_PER_MIN", "-3"],
  ["RATE_LIMIT_FAIL_MODE", "maybe"],
  ["AUTH_SECRET", ""],
] as const) {
  test(`refuses to start with ${variable}=${JSON.stringify(value)}, naming the variable`, async () => {
    const { code, output } = await runUntilExit({ [variable]: value });
    expect(code, output).not.toBe(0);
    expect(code, output).not.toBeNull();
    expect(output).toContain(`Invalid environment variable ${variable}`);
  });
}

test("refuses to start with a bad RATE_LIMIT_PLANS, naming the variable, the plan and the field", async () => {
  const { code, output } = await runUntilExit({ RATE_LIMIT_PLANS: '{"pro":{"perMinute":-1}}' });
  expect(code, output).not.toBe(0);
  expect(code, output).not.toBeNull();
  expect(output).toContain(
    'Invalid environment variable RATE_LIMIT_PLANS: plan "pro", field "perMinute": must be >= 0',
  );
});
