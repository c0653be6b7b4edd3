#!/usr/bin/env node
// Runs a command on the project's toolchain: the exact Node of .nvmrc, plus redis-server and a Chromium for tests.
//
//   node scripts/toolchain.mjs [--exact-node] [--need=redis,chromium] -- <command> [args...]
//
// - Node: `.nvmrc` holds the one exact version. With --exact-node (npm test) any other Node is replaced by
//   that version, fetched once from the npm registry's node-<os>-<arch> package into ~/.cache; without it
//   (npm run dev) any Node >= 22 is used as is and only an older one is replaced.
// - redis-server and Chromium (--need): used from the machine when present, else installed from the OS's
//   packages (apt-get, as root), else Chromium from Playwright's own download; when nothing works the run
//   stops at once naming the one command that installs what is missing.
// Plain JavaScript that runs on the oldest Node a machine may ship (18+): it is what replaces that Node.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MIN_DEV_MAJOR = 22; // ai@7's engines; below it nothing runs
// The headless shell first: the same Blink without the browser's UI, and a quarter faster through the e2e
// suite on 2 cores (docs/benchmarks.md, "Playwright: which Chromium"). It is also what Playwright itself runs
// headless. A full Chromium works as well.
const SYSTEM_CHROMIUMS = [
  "/usr/bin/chromium-headless-shell",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
];

const log = (line) => process.stderr.write(`toolchain: ${line}\n`);
function stop(line) {
  log(line);
  process.exit(1);
}

export function pinnedNodeVersion() {
  const version = readFileSync(join(ROOT, ".nvmrc"), "utf8").trim().replace(/^v/, "");
  if (!/^\d+\.\d+\.\d+$/.test(version))
    stop(`.nvmrc must hold one exact Node version (like 24.22.3), not "${version}"`);
  return version;
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: "utf8", ...options });
}

function versionOf(nodeBinary) {
  const result = run(nodeBinary, ["--version"]);
  return result.status === 0 ? result.stdout.trim().replace(/^v/, "") : null;
}

/** The directory holding the Node binary to run with (null: the current one is fine). */
function ensureNode(exact) {
  const pinned = pinnedNodeVersion();
  const current = process.versions.node;
  if (current === pinned) return null;
  if (!exact && Number(current.split(".")[0]) >= MIN_DEV_MAJOR) return null;

  const pkg = `node-${process.platform}-${process.arch}`;
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const prefix = join(cacheRoot, "throttled-chat", `node-v${pinned}`);
  const binDir = join(prefix, "node_modules", pkg, "bin");
  if (versionOf(join(binDir, "node")) === pinned) return binDir;

  const nvmHint = `install Node ${pinned} yourself (\`nvm install\` reads .nvmrc; or https://nodejs.org/dist/v${pinned}/) and run again`;
  if (process.platform !== "linux") stop(`this is Node ${current}; ${nvmHint}`);
  log(
    `this is Node ${current}; fetching the pinned Node ${pinned} (${pkg} from the npm registry) into ${prefix}`,
  );
  const npm = npmCommand();
  mkdirSync(prefix, { recursive: true });
  const installed = run(
    npm.command,
    [
      ...npm.args,
      "install",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "--prefix",
      prefix,
      `${pkg}@${pinned}`,
    ],
    { stdio: ["ignore", "inherit", "inherit"], cwd: prefix },
  );
  if (installed.status !== 0 || versionOf(join(binDir, "node")) !== pinned)
    stop(`could not fetch Node ${pinned}; ${nvmHint}`);
  return binDir;
}

/** npm itself: the same npm that started us when there is one (npm_execpath), else `npm` on PATH. */
function npmCommand(nodeBinDir) {
  const cli = process.env.npm_execpath;
  if (cli && /\.(c|m)?js$/.test(cli) && existsSync(cli)) {
    return { command: nodeBinDir ? join(nodeBinDir, "node") : process.execPath, args: [cli] };
  }
  return { command: "npm", args: [] };
}

function onPath(command) {
  return run("sh", ["-c", `command -v ${command}`]).status === 0;
}

/** apt-get install as root; false when this machine can't (not Debian/Ubuntu, not root, or it failed). */
function aptInstall(packages) {
  if (!onPath("apt-get") || typeof process.getuid !== "function" || process.getuid() !== 0) return false;
  log(`installing ${packages.join(" ")} from the OS packages (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = run("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  if (update.status !== 0) return false;
  return (
    run("apt-get", ["install", "-y", "-qq", ...packages], { stdio: ["ignore", "ignore", "inherit"], env })
      .status === 0
  );
}

function ensureRedis() {
  if (onPath("redis-server")) return;
  if (aptInstall(["redis-server"]) && onPath("redis-server")) return;
  stop(
    "redis-server is missing and could not be installed here. Install it, then run again: " +
      "`sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).",
  );
}

function systemChromium() {
  return [process.env.CHROMIUM_PATH, ...SYSTEM_CHROMIUMS].find((path) => path && existsSync(path));
}

/** Playwright's own Chromium, when a download put one in its cache. */
function playwrightChromium(nodeBinary) {
  const script = "process.stdout.write(require('playwright-core').chromium.executablePath())";
  const result = run(nodeBinary, ["-e", script], { cwd: ROOT });
  const path = result.status === 0 ? result.stdout.trim() : "";
  return path && existsSync(path) ? path : undefined;
}

/** The Chromium Playwright should launch; CHROMIUM_PATH is set for system ones (see e2e/support/chromium.ts). */
function ensureChromium(nodeBinary) {
  const found = systemChromium();
  if (found) return found;
  if (playwrightChromium(nodeBinary)) return undefined;
  // Debian packages the headless shell; Ubuntu only has chromium (a snap wrapper there).
  if (aptInstall(["chromium-headless-shell"]) && systemChromium()) return systemChromium();
  if (aptInstall(["chromium"]) && systemChromium()) return systemChromium();
  log("no system Chromium; trying Playwright's own download (npx playwright install chromium)");
  const npx = run(
    nodeBinary,
    [join(ROOT, "node_modules", "@playwright", "test", "cli.js"), "install", "chromium"],
    {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (npx.status === 0 && playwrightChromium(nodeBinary)) return undefined;
  stop(
    "no Chromium for the browser tests, and none could be installed here. Install one, then run again: " +
      "`sudo apt-get install -y chromium-headless-shell` (Debian) or `chromium` (Ubuntu), or `npx playwright install chromium` where downloads " +
      "work, or set CHROMIUM_PATH to a Chromium/Chrome binary.",
  );
}

function parseArgs(argv) {
  const split = argv.indexOf("--");
  if (split < 0 || split === argv.length - 1)
    stop("usage: node scripts/toolchain.mjs [--exact-node] [--need=redis,chromium] -- <command> [args...]");
  const flags = argv.slice(0, split);
  const needs = new Set(flags.filter((f) => f.startsWith("--need=")).flatMap((f) => f.slice(7).split(",")));
  return { exact: flags.includes("--exact-node"), needs, command: argv.slice(split + 1) };
}

function main() {
  const { exact, needs, command } = parseArgs(process.argv.slice(2));
  const nodeBinDir = ensureNode(exact);
  const nodeBinary = nodeBinDir ? join(nodeBinDir, "node") : process.execPath;
  const env = { ...process.env };
  // First on PATH, so `#!/usr/bin/env node` scripts (next, vitest, playwright) run on the pinned Node too.
  if (nodeBinDir) env.PATH = `${nodeBinDir}${delimiter}${env.PATH ?? ""}`;
  if (needs.has("redis")) ensureRedis();
  if (needs.has("chromium")) {
    const chromium = ensureChromium(nodeBinary);
    if (chromium) env.CHROMIUM_PATH = chromium;
  }

  // Next's one-time telemetry notice would otherwise be the first thing `npm run dev` prints, before the app's
  // own first line (which model and store are in use). Anonymous usage reporting stays off unless asked for.
  env.NEXT_TELEMETRY_DISABLED ??= "1";
  let [file, ...args] = command;
  if (file === "npm") {
    const npm = npmCommand(nodeBinDir);
    file = npm.command;
    args = [...npm.args, ...args];
  }
  const child = spawn(file, args, { stdio: "inherit", env, cwd: process.cwd() });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
