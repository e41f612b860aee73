import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * No import circle anywhere in src: a module that reaches itself through its imports cannot be
 * read (or tested, or moved) on its own, and its load order decides what it sees. Every import
 * counts — `import type`, re-exports, dynamic `import()` and `require` — as the TypeScript
 * compiler's own pre-processor finds them; relative specifiers are resolved to files the way
 * the bundler does (`x` → `x.ts`, `x.tsx`, `x/index.ts`, `x/index.tsx`).
 */

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Every module specifier a source text imports or re-exports from, type-only ones included. */
export function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const CANDIDATES = ["", ".ts", ".tsx", ".mts", "/index.ts", "/index.tsx"];

/** The import graph of a set of files (path → text): each file → the files of it that it imports. */
export function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = new Set<string>();
    for (const spec of specifiersOf(text)) {
      if (!spec.startsWith(".")) continue;
      const base = resolve(dirname(file), spec);
      const target = CANDIDATES.map((c) => base + c).find((p) => files.has(p));
      if (target) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/**
 * The circles of a graph: its strongly connected components of more than one file, and files
 * that import themselves (Tarjan's algorithm), each sorted, for a stable message.
 */
export function circlesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) circles.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return circles;
}

describe("import circles", () => {
  it("src has none, type imports included", () => {
    const files = new Map(sourceFiles(SRC).map((f) => [f, readFileSync(f, "utf8")]));
    const graph = importGraph(files);
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
