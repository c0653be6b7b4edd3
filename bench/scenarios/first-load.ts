// first-load: the JS a browser downloads before `/` is interactive, gzipped, against FIRST_LOAD_BUDGET_BYTES.
import { FIRST_LOAD_BUDGET_BYTES, FIRST_LOAD_BUDGET_TEXT, type FirstLoad, firstLoadJs } from "../first-load";
import { kb, verdict } from "../format";
import { log, withApp } from "../harness";
import type { Scenario } from "../scenario";
import { DIST_DIR } from "../settings";

function firstLoadLines(fl: FirstLoad): string[] {
  return [
    `${fl.chunks.length} \`<script src>\` chunks in the served HTML of \`/\`, read from the build folder and gzipped ` +
      `(level 9): **${kb(fl.gzip)} gzip** (${kb(fl.bytes)} raw); target ≤ ${FIRST_LOAD_BUDGET_TEXT}: ${verdict(fl.gzip <= FIRST_LOAD_BUDGET_BYTES)}. ` +
      `Inline \`<script>\` (RSC payload) adds ${kb(fl.inlineGzip)} gzip.` +
      (fl.legacy.length
        ? ` Not counted: ${fl.legacy.map((c) => `\`${c.file.replace("/_next/static/", "")}\` (${kb(c.gzip)} gzip)`).join(", ")}, ` +
          "a `<script nomodule>` polyfill bundle that browsers with ES modules never download."
        : ""),
    "",
    "| Chunk | raw | gzip |",
    "| --- | ---: | ---: |",
    ...fl.chunks.map(
      (c) => `| \`${c.file.replace("/_next/static/", "")}\` | ${kb(c.bytes)} | ${kb(c.gzip)} |`,
    ),
  ];
}

export const firstLoad: Scenario<FirstLoad> = {
  name: "first-load",
  title: "first-load JS of `/`",
  about: `\`first-load\` — first-load JS of \`/\`: the chunks in the served HTML, read from \`.next-bench/static\`, gzip
  level 9. Target ≤ ${FIRST_LOAD_BUDGET_TEXT}.`,
  needsRedis: false,
  async run() {
    const result = await withApp({}, null, [], async ({ app }) => firstLoadJs(app.url, DIST_DIR, "/"));
    log(`first-load JS of /: ${result.chunks.length} chunks, ${kb(result.gzip)} gzip`);
    return result;
  },
  render: firstLoadLines,
};
