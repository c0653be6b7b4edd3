// The whole suite with per-phase timings: lint, types, Vitest and `next build` at once; Playwright once the build is.
//
// Nothing here depends on anything else except Playwright on the build, and no phase keeps both cores busy all the
// time (Vitest and Playwright mostly wait on Redis, timers and limit windows; tsc and the build on the disk now and
// then), so on a 2-core CI machine they overlap: Playwright starts the moment the build is done, beside Vitest's
// tail, and reuses it (E2E_SKIP_BUILD=1) (issue 19). The first phase to fail stops the others and the run ends
// with its exit code, as `a && b && c` did; its output is printed, never lost.
import { spawn } from "node:child_process";

const started = performance.now();
const timings = [];
const running = new Set();
let failed = false;

/**
 * Runs a phase and resolves with its exit code; a `quiet` one keeps its output until it ends and prints it as one
 * block, so phases running at once don't interleave: only Playwright, the longest, streams live.
 */
function run(label, args, { env = {}, quiet = false } = {}) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn("npx", args, {
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...env },
      detached: true, // its own process group, so a stop reaches the servers and browsers it started
    });
    running.add(child);
    const output = [];
    child.stdout?.on("data", (chunk) => output.push(chunk));
    child.stderr?.on("data", (chunk) => output.push(chunk));
    child.on("close", (code, signal) => {
      running.delete(child);
      const seconds = (performance.now() - t0) / 1000;
      const stopped = signal && failed ? " (stopped)" : "";
      timings.push(`${label} ${seconds.toFixed(0)} s${stopped}`);
      if (quiet) process.stdout.write(`\n[test-all] ${label}:\n${Buffer.concat(output).toString()}`);
      const status = code ?? (signal ? 1 : 0);
      if (status !== 0 && !failed) stopAll(label, status);
      resolve(status);
    });
  });
}

/** The first failure ends the run: the other phases are stopped (their process groups) and the code kept. */
function stopAll(label, code) {
  if (failed) return;
  failed = true;
  console.log(
    `\n[test-all] ${label} ${label.startsWith("SIG") ? "received" : `failed (exit ${code})`}; stopping the other phases`,
  );
  for (const child of running) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  process.exitCode = code;
}

// Ctrl-C or a CI cancel reaches the phases too (each is its own process group, see `detached`).
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(signal, 130));

const lint = run("lint", ["biome", "check", "."], { quiet: true });
const typecheck = run("typecheck", ["tsc", "--noEmit"], { quiet: true });
const unit = run("vitest", ["vitest", "run"], { quiet: true });
const e2e = run("next build", ["next", "build"], { env: { NODE_ENV: "production" }, quiet: true }).then(
  (code) =>
    code === 0 && !failed
      ? run("playwright", ["playwright", "test"], { env: { E2E_SKIP_BUILD: "1" } })
      : code,
);

const codes = await Promise.all([lint, typecheck, unit, e2e]);
const code = process.exitCode ?? codes.find((c) => c !== 0) ?? 0;
const total = ((performance.now() - started) / 1000).toFixed(0);
console.log(
  `\n[test-all] ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${total} s: ${timings.join(", ")}`,
);
process.exit(code);
