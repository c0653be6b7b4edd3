// The whole suite, phase by phase with timings: lint, types, then `next build` beside Vitest, then Playwright.
//
// The production build (for Playwright) and the unit/route suites don't depend on each other, and neither keeps
// both cores busy all the time (Vitest waits on Redis and timers, the build on the disk), so they run at once:
// on a 2-core CI machine that saves most of the build's time (issue 19). Playwright then reuses the build
// (E2E_SKIP_BUILD=1). Any phase failing stops the run with its exit code, as `a && b && c` did.
import { spawn } from "node:child_process";

const started = performance.now();
const timings = [];

/** Runs a phase; a `quiet` one keeps its output until it ends and prints it as one block (no interleaving). */
function run(label, command, args, { env = {}, quiet = false } = {}) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...env },
    });
    const output = [];
    child.stdout?.on("data", (chunk) => output.push(chunk));
    child.stderr?.on("data", (chunk) => output.push(chunk));
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      timings.push(`${label} ${seconds.toFixed(0)} s`);
      if (quiet) process.stdout.write(`\n[test-all] ${label}:\n${Buffer.concat(output).toString()}`);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function finish(code) {
  const total = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `\n[test-all] ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${total} s: ${timings.join(", ")}`,
  );
  process.exit(code);
}

const npx = (label, args, options) => run(label, "npx", args, options);

for (const [label, args] of [
  ["lint", ["biome", "check", "."]],
  ["typecheck", ["tsc", "--noEmit"]],
]) {
  const code = await npx(label, args);
  if (code !== 0) finish(code);
}

const [buildCode, unitCode] = await Promise.all([
  npx("next build", ["next", "build"], { env: { NODE_ENV: "production" }, quiet: true }),
  npx("vitest", ["vitest", "run"]),
]);
if (unitCode !== 0) finish(unitCode);
if (buildCode !== 0) finish(buildCode);

finish(await npx("playwright", ["playwright", "test"], { env: { E2E_SKIP_BUILD: "1" } }));
