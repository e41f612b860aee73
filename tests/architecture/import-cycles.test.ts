import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { SRC, circlesOf, importGraph, sourceTree } from "../support/importGraph";

/**
 * No import circle anywhere in src, type imports included: a module that reaches itself
 * through its imports cannot be read (or tested, or moved) on its own, and its load order
 * decides what it sees. How imports are found and resolved: tests/support/importGraph.ts.
 */

describe("import circles", () => {
  it("src has none, type imports included", () => {
    const graph = importGraph(sourceTree(SRC));
    // The graph is the real one: a file known to import others has its edges.
    expect(graph.get(join(SRC, "app/store/index.ts"))).toContain(join(SRC, "app/store/state.ts"));
    expect(circlesOf(graph).map((c) => c.map((f) => relative(SRC, f)).join(" ↔ "))).toEqual([]);
  });

  it("the finder catches a circle through a type import, a re-export, an index.ts and a dynamic import, and a file importing itself", () => {
    const files = new Map([
      ["/m/a.ts", `import type { B } from "./b";\nexport const a = 1;`],
      ["/m/b/index.ts", `export { c } from "../c";`],
      ["/m/c.tsx", `export const c = async () => (await import("./a")).a;`],
      ["/m/d.ts", `import { a } from "./a";\nimport { z } from "zod";\nimport { e } from "./missing";`],
      ["/m/self.ts", `import "./self";`],
    ]);
    const graph = importGraph(files);
    expect(graph.get("/m/a.ts")).toEqual(["/m/b/index.ts"]);
    expect(graph.get("/m/d.ts")).toEqual(["/m/a.ts"]);
    expect(circlesOf(graph)).toEqual([["/m/a.ts", "/m/b/index.ts", "/m/c.tsx"], ["/m/self.ts"]]);
    files.set("/m/c.tsx", `export const c = 1;`);
    expect(circlesOf(importGraph(files))).toEqual([["/m/self.ts"]]);
  });
});
