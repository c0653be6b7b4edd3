// `npm run bench:dev-start -- [runs]`: how long `npm run dev` takes to answer its first page and first chat message.
//
// Each run deletes the dev build folder (so Turbopack compiles from nothing), starts `npm run dev` on a free
// port, then asks GET / until it answers 200 and, after it, POST /api/chat/message once. Printed per run: "Ready"
// (Next's own line), the first page (from the start of the process) with the compile/render split Next logs,
// and the first chat answer (from the page's answer). Nothing is written to the docs: copy the figures by hand.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { join } from "node:path";
import { chatBody, newId } from "../test/support/chat-body";

const RUNS = Number(process.argv[2] ?? 3);
/** Its own build folder, so a run never races a `next build` of the same checkout (next.config.ts distDir). */
const DIST_DIR = ".next-devbench";

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });

/** Repeats `request` until it answers 200 (a refused connection while Next starts is retried). */
async function until200(request: () => Promise<Response>): Promise<Response> {
  for (;;) {
    try {
      const response = await request();
      if (response.status === 200) return response;
      throw new Error(`answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // fetch failed: not listening yet
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Stops the dev server's whole process group (npm, the toolchain wrapper, next and its workers) and waits for it. */
async function stop(child: ChildProcess): Promise<void> {
  const group = child.pid;
  if (!group) return;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(-group, "SIGTERM");
  for (let waited = 0; alive() && waited < 10_000; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(-group, "SIGKILL");
}

/** Each `compile-path` span of Next's dev trace (one JSON array of spans a line): what was compiled, how long. */
function compiles(): string[] {
  const lines = readFileSync(join(DIST_DIR, "dev", "trace"), "utf8")
    .split("\n")
    .filter(Boolean);
  const spans = lines.flatMap(
    (line) => JSON.parse(line) as { name: string; duration: number; tags?: { trigger?: string } }[],
  );
  return spans
    .filter((span) => span.name === "compile-path")
    .map((span) => `${span.tags?.trigger} ${(span.duration / 1e6).toFixed(1)} s`);
}

async function run(n: number): Promise<void> {
  rmSync(join(DIST_DIR, "dev"), { recursive: true, force: true, maxRetries: 5 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn("npm", ["run", "dev", "--", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NEXT_DIST_DIR: DIST_DIR },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let readyAt = 0;
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
    if (!readyAt && /Ready in/.test(output)) readyAt = performance.now();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  try {
    const page = await until200(() => fetch(`${url}/`));
    await page.text();
    const pageAt = performance.now();
    const chat = await until200(() =>
      fetch(`${url}/api/chat/message`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${n}` },
        body: chatBody(newId(), "hi"),
      }),
    );
    await chat.text();
    const chatAt = performance.now();
    await new Promise((r) => setTimeout(r, 300)); // Next logs the request line after the answer
    const lines = output.split("\n");
    const logged = (pattern: RegExp) => lines.find((line) => pattern.test(line))?.trim() ?? "(not logged)";
    console.log(
      `run ${n}: Ready ${seconds(readyAt - started)}; GET / 200 after ${seconds(pageAt - started)}; ` +
        `then POST /api/chat/message 200 after ${seconds(chatAt - pageAt)} ` +
        `(load average ${loadavg()[0]?.toFixed(2)})\n  ${logged(/GET \/ 200/)}\n  ${logged(/POST \/api\/chat\/message 200/)}`,
    );
    console.log(`  compiled (Next's trace): ${compiles().join(", ")}`);
  } catch (error) {
    console.error(`run ${n} failed: ${(error as Error).message}\n${output}`);
    process.exitCode = 1;
  } finally {
    await stop(child);
  }
}

// `next dev` adds its build folder's types to tsconfig.json's "include" (and reformats it): put it back after.
const tsconfig = readFileSync("tsconfig.json", "utf8");
try {
  for (let n = 1; n <= RUNS; n++) await run(n);
} finally {
  writeFileSync("tsconfig.json", tsconfig);
}
