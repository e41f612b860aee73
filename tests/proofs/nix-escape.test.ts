import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AlchemistFailure } from "../../src/core/errors";
import {
  attrs,
  bind,
  call,
  compareAttrNames,
  id,
  interp,
  list,
  nixStringProblem,
  printNix,
  sel,
  str,
  type NixExpr,
} from "../../src/core/nix";
import { nixEvalJson } from "../support/nix";

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

describe("string escaping (table)", () => {
  const table: [name: string, text: string, printed: string][] = [
    ["plain", "hello", '"hello"'],
    ["double quote", 'say "hi"', '"say \\"hi\\""'],
    ["backslash", "C:\\dir", '"C:\\\\dir"'],
    ["dollar alone stays", "$HOME and $", '"$HOME and $"'],
    ["interpolation opener", "${pkgs.foo}", '"\\${pkgs.foo}"'],
    ["double dollar brace", "$${x}", '"$\\${x}"'],
    ["tab and carriage return", "a\tb\r", '"a\\tb\\r"'],
    ["unicode and emoji", "Grüße 🚀", '"Grüße 🚀"'],
    ["indented-string quotes in a one-line string", "''${x}", "\"''\\${x}\""],
    ["multi-line becomes an indented string", "a\nb\n", "''\n  a\n  b\n''"],
    ["escapes inside indented strings", "''\n${x}\n'${y}\n", "''\n  '''\n  ''${x}\n  ''\\'''${y}\n''"],
    ["no trailing newline", "a\nb", "''\n  a\n  b''"],
    ["leading spaces on every line need double quotes", "  a\n  b", '"  a\\n  b"'],
    ["trailing quote needs double quotes", "a\nb'", "\"a\\nb'\""],
    ["carriage return needs double quotes", "a\r\nb", '"a\\r\\nb"'],
  ];

  it.each(table)("%s", (_name, text, printed) => {
    expect(printNix(str(text))).toBe(printed);
  });

  it("every table entry evaluates back to its text with nix-instantiate", () => {
    expect(evalAll(table.map(([, text]) => str(text)))).toEqual(table.map(([, text]) => text));
  });

  it("a `$` right before an interpolation is escaped", () => {
    const e = interp("cost: $", str("5"), "${", str("x"), "}");
    expect(printNix(e)).toBe('"cost: \\$${"5"}\\${${"x"}}"');
    expect(nixEvalJson(printNix(e))).toBe("cost: $5${x}");
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

describe("control characters", () => {
  const refused = ["\u0000", "a\u0001b", "\u0007", "\u001b[31m", "\u007f", "x\u000b", "\u000c", "\ud800"];

  it.each(refused)("nixStringProblem refuses %j", (text) => {
    expect(nixStringProblem(text)).toMatch(/control character|surrogate/);
  });

  it("accepts newline, carriage return, tab and all printable text", () => {
    for (const text of ["a\nb\r\tc", "🚀 ${x} \"'", "", "\u0080\u00a0"]) {
      expect(nixStringProblem(text)).toBeNull();
    }
  });

  it("the printer throws E_NIX_UNPRINTABLE for values, attribute names and comments", () => {
    const bad = "bell\u0007";
    const attempts: (() => string)[] = [
      () => printNix(str(bad)),
      () => printNix(str(`line\n${bad}`)),
      () => printNix(interp(bad, id("x"))),
      () => printNix(attrs({ [bad]: str("x") })),
      () => printNix(sel(id("x"), bad)),
      () => printNix(attrs([bind(["a"], str("x"), bad)])),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(AlchemistFailure);
      try {
        attempt();
      } catch (e) {
        expect((e as AlchemistFailure).error.code).toBe("E_NIX_UNPRINTABLE");
        expect((e as AlchemistFailure).error.message).toContain("U+0007");
      }
    }
  });
});
