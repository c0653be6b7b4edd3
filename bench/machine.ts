// What the benchmark ran on: CPUs, memory, kernel, load, tool versions and the commit built.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { CPUS } from "./settings";

export interface Machine {
  nproc: number;
  cpuModel: string;
  ramGiB: number;
  kernel: string;
  loadavgAtStart: number;
  node: string;
  next: string;
  redisServer: string;
  upstashRatelimit: string;
  upstashRedis: string;
  autocannon: string;
  commit: string;
  uncommittedFiles: number;
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

function pkgVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(join("node_modules", name, "package.json"), "utf8")) as { version: string }
    ).version;
  } catch {
    return "unknown";
  }
}

export function machine(): Machine {
  const dirty = sh("git", ["status", "--porcelain", "--untracked-files=no"]);
  return {
    nproc: CPUS,
    cpuModel: cpus()[0]?.model ?? "unknown",
    ramGiB: totalmem() / 2 ** 30,
    kernel: release(),
    loadavgAtStart: loadavg()[0] ?? 0,
    node: process.version,
    next: pkgVersion("next"),
    redisServer:
      /v=(\S+)/.exec(sh(process.env.REDIS_SERVER_BIN ?? "redis-server", ["--version"]))?.[1] ?? "unknown",
    upstashRatelimit: pkgVersion("@upstash/ratelimit"),
    upstashRedis: pkgVersion("@upstash/redis"),
    autocannon: pkgVersion("autocannon"),
    commit: sh("git", ["rev-parse", "--short", "HEAD"]),
    uncommittedFiles: dirty === "" || dirty === "unknown" ? 0 : dirty.split("\n").length,
  };
}
