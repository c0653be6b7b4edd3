// `next build` into the benchmark's own folder (.next-bench), putting back the shared files Next rewrites.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { log } from "./harness";
import { DIST_DIR, SKIP_BUILD } from "./settings";

export function build(): void {
  if (SKIP_BUILD) {
    if (!existsSync(join(DIST_DIR, "BUILD_ID")))
      throw new Error(`BENCH_SKIP_BUILD=1 but ${DIST_DIR} has no build`);
    log(`BENCH_SKIP_BUILD=1: using the existing build in ${DIST_DIR}`);
    return;
  }
  // `next build` rewrites tsconfig.json (adds <distDir>/types includes) and next-env.d.ts (points it at
  // <distDir>): both are shared with everyone working in this checkout, so put them back afterwards.
  const tsconfig = readFileSync("tsconfig.json", "utf8");
  const nextEnv = existsSync("next-env.d.ts") ? readFileSync("next-env.d.ts", "utf8") : null;
  log(`next build → ${DIST_DIR}`);
  const t0 = performance.now();
  const res = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: DIST_DIR },
  });
  restoreSharedFiles(tsconfig, nextEnv);
  if (res.status !== 0) throw new Error(`next build failed (exit ${res.status})`);
  log(`built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

function restoreSharedFiles(tsconfig: string, nextEnv: string | null): void {
  const now = readFileSync("tsconfig.json", "utf8");
  if (now !== tsconfig) {
    const strip = (text: string) => {
      const json = JSON.parse(text) as { include?: string[] };
      json.include = (json.include ?? []).filter((p) => !p.startsWith(`${DIST_DIR}/`));
      return JSON.stringify(json);
    };
    // Only undo Next's own edit; anything else someone changed meanwhile stays.
    if (strip(now) === strip(tsconfig)) writeFileSync("tsconfig.json", tsconfig);
    else log("warning: tsconfig.json changed during the build beyond Next's include edit; left as is");
  }
  if (nextEnv !== null && readFileSync("next-env.d.ts", "utf8") !== nextEnv)
    writeFileSync("next-env.d.ts", nextEnv);
}
