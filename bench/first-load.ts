// First-load JS of a page: the <script src> chunks its served HTML loads, read from the build folder, gzipped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { kb } from "./format";

/** The most first-load JS `/` may take, gzipped. */
export const FIRST_LOAD_BUDGET_BYTES = 160_000;
/** The budget as the reports write it: "160 kB". */
export const FIRST_LOAD_BUDGET_TEXT = `${FIRST_LOAD_BUDGET_BYTES / 1000} kB`;

export interface FirstLoad {
  path: string;
  chunks: { file: string; bytes: number; gzip: number }[];
  /** Sum over chunks. */
  bytes: number;
  gzip: number;
  /** Inline <script> bodies (React Server Components payload, bootstrap), gzipped together. */
  inlineGzip: number;
  /** `<script nomodule>` chunks (polyfills): only browsers without ES modules fetch them; not in the sum. */
  legacy: { file: string; bytes: number; gzip: number }[];
}

/**
 * Fetches `path` from the running server and sums the gzip (level 9, as Next's old size column) of the chunks a
 * modern browser loads: every `<script src>` (and script preload) except `nomodule` ones.
 */
export async function firstLoadJs(baseUrl: string, distDir: string, path = "/"): Promise<FirstLoad> {
  const res = await fetch(new URL(path, baseUrl));
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  const html = await res.text();
  const srcs = new Set<string>();
  const legacySrcs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*>/g)) {
    const src = /\bsrc="([^"]+)"/.exec(m[0])?.[1];
    if (src) (/\bnomodule\b/i.test(m[0]) ? legacySrcs : srcs).add(src);
  }
  // Chunks the browser fetches up front without a <script> tag of their own.
  for (const m of html.matchAll(/<link\b[^>]*\brel="(?:preload|modulepreload)"[^>]*>/g)) {
    const tag = m[0];
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href && (/\bas="script"/.test(tag) || tag.includes("modulepreload"))) srcs.add(href);
  }
  const measure = (list: Set<string>) => {
    const out: FirstLoad["chunks"] = [];
    for (const src of list) {
      const pathname = new URL(src.replaceAll("&amp;", "&"), baseUrl).pathname;
      if (!pathname.startsWith("/_next/static/") || !pathname.endsWith(".js")) continue;
      const file = join(distDir, "static", decodeURIComponent(pathname.slice("/_next/static/".length)));
      const data = readFileSync(file);
      out.push({ file: pathname, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length });
    }
    return out.sort((a, b) => b.gzip - a.gzip);
  };
  const chunks = measure(srcs);
  const legacy = measure(legacySrcs);
  if (chunks.length === 0) throw new Error(`GET ${path}: no /_next/static/*.js chunks found in the HTML`);
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] ?? "")
    .join("\n");
  return {
    path,
    chunks,
    bytes: chunks.reduce((s, c) => s + c.bytes, 0),
    gzip: chunks.reduce((s, c) => s + c.gzip, 0),
    inlineGzip: inline ? gzipSync(inline, { level: 9 }).length : 0,
    legacy,
  };
}

/**
 * `npx tsx bench/first-load.ts [distDir]`: serves an existing production build (default `.next`, the one
 * `next build` and the e2e suite write) with `next start` and prints the first-load JS of `/`.
 */
async function main(): Promise<void> {
  const { startApp } = await import("../test/support/app-server");
  const distDir = process.argv[2] || process.env.NEXT_DIST_DIR || ".next";
  const app = await startApp({ NEXT_DIST_DIR: distDir });
  try {
    const result = await firstLoadJs(app.url, distDir, "/");
    for (const chunk of result.chunks) console.log(`${kb(chunk.gzip).padStart(10)}  ${chunk.file}`);
    const verdict = result.gzip <= FIRST_LOAD_BUDGET_BYTES ? "within" : "OVER";
    console.log(
      `first-load JS of / (${distDir}): ${kb(result.gzip)} gzip in ${result.chunks.length} chunks ` +
        `(${kb(result.bytes)} raw; inline scripts ${kb(result.inlineGzip)} gzip) — ${verdict} the ${FIRST_LOAD_BUDGET_TEXT} budget`,
    );
  } finally {
    await app.stop();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
