// The pinned toolchain is one fact: .nvmrc's exact Node, which engines and the README repeat and CI runs on.
import { readFileSync } from "node:fs";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const pinned = read(".nvmrc").trim();

describe("the pinned toolchain", () => {
  it(".nvmrc holds one exact Node version, and package.json engines and the README state the same", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(JSON.parse(read("package.json")).engines.node).toBe(pinned);
    expect(read("README.md")).toContain(`Node.js ${pinned}`);
  });

  it("npm test runs on exactly that Node (scripts/toolchain.mjs --exact-node)", () => {
    expect(process.versions.node, `run the suite with \`npm test\`: it brings Node ${pinned}`).toBe(pinned);
  });

  it("esbuild works without its install script (denied in allowScripts: the binary is an optional dependency)", async () => {
    expect(JSON.parse(read("package.json")).allowScripts).toEqual({ esbuild: false });
    const { code } = await transform("const n: number = 1;", { loader: "ts" });
    expect(code).toBe("const n = 1;\n");
  });
});
