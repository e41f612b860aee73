import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  attrs,
  bind,
  call,
  compareAttrNames,
  id,
  interp,
  list,
  printFile,
  printNix,
  sel,
  str,
  type NixExpr,
} from "../../src/core/nix";
import { nixEvalJson, parseFiles } from "../support/nix";
import { escapes, samples } from "../support/nixSamples";

// What the printer writes, read back by the real Nix: the layout samples and escape cases of
// src/core/nix/printer.test.ts parse and evaluate to what they mean, and so do tricky strings.

// The pieces that break naive escaping: quotes, backslashes, `$` and `${` in every
// neighbourhood, the quotes of indented strings, line breaks, indentation, non-ASCII.
const TOKENS = [
  '"',
  "\\",
  "$",
  "${",
  "$$",
  "{",
  "}",
  "'",
  "''",
  "'''",
  "'${",
  "''${",
  "''\\",
  "\n",
  "\n  ",
  "\t",
  "\r",
  " ",
  "  ",
  "a",
  "x = 1;",
  "é",
  "日本",
  "🚀",
  "👩‍💻",
];

const tricky = fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }).map((t) => t.join(""));

function sample(count: number, seed: number): string[] {
  return fc.sample(tricky, { numRuns: count, seed });
}

/** Prints `exprs` as one list, evaluates it once, and returns the values. */
function evalAll(exprs: readonly NixExpr[]): unknown[] {
  return nixEvalJson(printNix(list(exprs))) as unknown[];
}

describe("printed Nix is accepted by nix-instantiate", () => {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-printer-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every sample file parses (one nix-instantiate run)", () => {
    samples.forEach((s, i) => writeFileSync(join(dir, `sample-${i}.nix`), printFile(s.expr)));
    const parsed = parseFiles(dir);
    expect(parsed).toHaveLength(samples.length);
    for (const p of parsed) expect(p.result, p.file).toEqual({ ok: true });
  });

  it("closed samples evaluate to the expected values (one nix-instantiate run)", () => {
    const closed = samples.filter((s) => s.value !== undefined);
    const text = `[ ${closed.map((s) => `(${printFile(s.expr)})`).join(" ")} ]`;
    expect(nixEvalJson(text)).toEqual(closed.map((s) => s.value));
  });
});

describe("escaped strings evaluate back to their text with nix-instantiate", () => {
  it("every escape case (one nix-instantiate run)", () => {
    expect(evalAll(escapes.map(([, text]) => str(text)))).toEqual(escapes.map(([, text]) => text));
  });

  it("a `$` right before an interpolation", () => {
    expect(nixEvalJson(printNix(interp("cost: $", str("5"), "${", str("x"), "}")))).toBe("cost: $5${x}");
  });
});

describe("string escaping (property, real Nix)", () => {
  it("600 tricky strings round-trip as values, in nested sets and around interpolations", () => {
    const texts = sample(600, 42);
    // Nested at different depths so indented strings are printed with different prefixes.
    const nested = texts.map((t, i) => {
      let e: NixExpr = attrs({ v: str(t) });
      for (let d = 0; d < i % 3; d++) e = attrs({ n: e });
      return e;
    });
    const results = evalAll([
      list(texts.map(str)),
      list(nested),
      list(texts.map((t) => interp(t, str("@"), t))),
    ]) as [string[], unknown[], string[]];

    expect(results[0]).toEqual(texts);
    results[1].forEach((r, i) => {
      let v = r as Record<string, unknown>;
      for (let d = 0; d < i % 3; d++) v = v.n as Record<string, unknown>;
      expect(v.v).toBe(texts[i]);
    });
    expect(results[2]).toEqual(texts.map((t) => `${t}@${t}`));
  });

  it("600 tricky attribute names round-trip as keys, dotted paths and selections, in Nix's order", () => {
    const names = [...new Set(sample(600, 7))];
    const set = attrs(names.map((n, i) => bind([n], str(String(i)))));
    const deep = attrs(names.map((n, i) => bind(["a", n, "b"], str(String(i)))));
    const [evaluated, keys, deepValue, selected] = evalAll([
      set,
      call(sel(id("builtins"), "attrNames"), set),
      deep,
      list(names.map((n) => sel(set, n))),
    ]) as [
      Record<string, string>,
      string[],
      { a: Record<string, { b: string }> },
      string[],
    ];

    expect(Object.keys(evaluated).sort()).toEqual([...names].sort());
    names.forEach((n, i) => {
      expect(evaluated[n]).toBe(String(i));
      expect(deepValue.a[n]?.b).toBe(String(i));
      expect(selected[i]).toBe(String(i));
    });
    // The printer sorts keys exactly as Nix lists them.
    expect(keys).toEqual([...names].sort(compareAttrNames));
  });
});
