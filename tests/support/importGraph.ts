import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

/**
 * The import graph of the source tree, for the rules over it (tests/architecture): every
 * import counts — `import type`, re-exports, dynamic `import()` and `require` — as the
 * TypeScript compiler's own pre-processor finds them; relative specifiers are resolved to files
 * the way the bundler does (`x` → `x.ts`, `x.tsx`, `x/index.ts`, `x/index.tsx`).
 */

export const ROOT = resolve(new URL("../..", import.meta.url).pathname);
export const SRC = join(ROOT, "src");

export function sourceFiles(dir: string): string[] {
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

/** The file of `files` a relative specifier in `from` names, if any (bare specifiers name none). */
export function resolveSpecifier(files: ReadonlyMap<string, string>, from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(from), spec);
  return CANDIDATES.map((c) => base + c).find((p) => files.has(p));
}

/** The import graph of a set of files (path → text): each file → the files of it that it imports. */
export function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = new Set(specifiersOf(text).flatMap((spec) => resolveSpecifier(files, file, spec) ?? []));
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

/** Every source file under `dir` with its text. */
export const sourceTree = (dir: string): Map<string, string> => new Map(sourceFiles(dir).map((f) => [f, readFileSync(f, "utf8")]));
