import { describe, expect, it } from "vitest";
import { AlchemistFailure } from "../errors";
import { attrs, bind, call, float, id, inherit, int, path, printNix, sel, str } from "./index";
import { compareAttrNames, isNixIdentifier, nixAttrName } from "./printer";

describe("attribute names", () => {
  it.each([
    ["enable", true],
    ["_private", true],
    ["x-y'", true],
    ["cim-prod-001", true],
    ["a.b", false],
    ["1st", false],
    ["-x", false],
    ["", false],
    ["with space", false],
    ["日本", false],
  ])("isNixIdentifier(%j) is %s", (name, expected) => {
    expect(isNixIdentifier(name)).toBe(expected);
  });

  it.each(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"])(
    "keyword %s is quoted",
    (keyword) => {
      expect(isNixIdentifier(keyword)).toBe(false);
      expect(nixAttrName(keyword)).toBe(`"${keyword}"`);
    },
  );

  it("quotes with string escaping", () => {
    expect(nixAttrName('a"b')).toBe('"a\\"b"');
    expect(nixAttrName("${x}")).toBe('"\\${x}"');
    expect(nixAttrName("🚀")).toBe('"🚀"');
    expect(nixAttrName("true")).toBe("true");
  });

  it("orders by code point, so emoji sort after U+E000–U+FFFF like Nix's byte order", () => {
    expect(["🚀", "\uff5e", "b", "B", "a"].sort(compareAttrNames)).toEqual(["B", "a", "b", "\uff5e", "🚀"]);
    expect(compareAttrNames("a", "ab")).toBeLessThan(0);
  });
});

describe("values the printer refuses (E_NIX_UNPRINTABLE)", () => {
  const cases: [string, () => string][] = [
    ["a duplicate attribute", () => printNix(attrs([bind(["a"], int(1)), bind(["a"], int(2))]))],
    ["a value under a bound non-set", () => printNix(attrs([bind(["a"], int(1)), bind(["a", "b"], int(2))]))],
    ["inherited and bound", () => printNix(attrs([inherit(["a"]), bind(["a"], int(1))]))],
    ["an invalid identifier", () => printNix(id("not valid"))],
    ["a keyword as identifier", () => printNix(id("rec"))],
    ["a non-integer int", () => printNix(int(1.5))],
    ["an unsafe integer", () => printNix(int(2 ** 60))],
    ["NaN", () => printNix(float(Number.NaN))],
    ["a path with spaces", () => printNix(path("./my file.nix"))],
    ["a path with a trailing slash", () => printNix(path("./dir/"))],
    ["an empty selection", () => printNix(sel(id("x")))],
    ["a call without arguments", () => printNix(call(id("f")))],
    ["a NUL in a string", () => printNix(str("a\u0000"))],
  ];

  it.each(cases)("%s", (_name, attempt) => {
    expect(attempt).toThrow(AlchemistFailure);
    try {
      attempt();
    } catch (e) {
      expect((e as AlchemistFailure).error.code).toBe("E_NIX_UNPRINTABLE");
    }
  });

  it("merges a set literal with dotted paths below it, as Nix does", () => {
    expect(printNix(attrs([bind(["a"], attrs({ x: int(1) })), bind(["a", "y"], int(2))]))).toBe(
      "{\n  a = {\n    x = 1;\n  };\n  a.y = 2;\n}",
    );
  });
});
