import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "./index";
import { parseDesign } from "../design/load";

// Golden files: the flake each template compiles to, reviewed by eye once and then held still.
// `UPDATE_GOLDEN=1 npx vitest run src/core/compile/golden.test.ts` rewrites them after an
// intended change; the diff is the review.
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const templates = readdirSync("templates").filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();

function filesBelow(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relative(dir, join(d.parentPath, d.name)))
      .sort();
  } catch {
    return [];
  }
}

describe("golden files", () => {
  it.each(templates)("%s compiles to the files in tests/golden", (name) => {
    const design = parseDesign(readFileSync(`templates/${name}.json`, "utf8")).design!;
    const { files, diagnostics } = compile(design);
    expect(diagnostics).toEqual([]);
    const dir = join("tests/golden", name);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    }
    expect(filesBelow(dir)).toEqual(Object.keys(files).sort());
    for (const [path, text] of Object.entries(files)) {
      expect(text, `${dir}/${path} differs; run with UPDATE_GOLDEN=1 if the change is intended`).toBe(readFileSync(join(dir, path), "utf8"));
    }
  });
});
