// Starts `next start` from the production build (or `next dev`) on a free port with a given environment; stops it after.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

export interface AppServer {
  url: string;
  port: number;
  /** Everything the server printed, for assertions on logs and for debugging failures. */
  output(): string;
  stop(): Promise<void>;
}

export const E2E_AUTH_SECRET = "e2e-secret-0123456789abcdef0123456789abcdef";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * `next start` on the build, or `mode: "dev"` for `next dev` (compiles on demand: for what only dev shows, such
 * as Next's dev tools button; dev writes to `.next/dev`, beside the build, so both can run at once). `port`:
 * when the URL must be known before the server starts (an OIDC client's redirect URI).
 */
export async function startApp(
  env: Record<string, string> = {},
  {
    port,
    mode = "start",
    readyWithinMs = 30_000,
  }: { port?: number; mode?: "start" | "dev"; readyWithinMs?: number } = {},
): Promise<AppServer> {
  port ??= await freePort();
  let output = "";
  const child: ChildProcess = spawn("node_modules/.bin/next", [mode, "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NODE_ENV: mode === "dev" ? "development" : "production",
      AUTH_SECRET: E2E_AUTH_SECRET,
      // The specs write X-Forwarded-For as the one proxy in front of the app would.
      TRUSTED_PROXY_HOPS: "1",
      CHAT_DAILY_TOKEN_BUDGET: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next ${mode} exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next ${mode} did not become healthy in ${readyWithinMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
