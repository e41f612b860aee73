/**
 * A small Nix AST. The compiler builds values of these types; only the printer (printer.ts)
 * turns them into Nix text, so escaping, quoting, key order and layout are decided in one
 * place. There is deliberately no raw-text node: text that must reach a file verbatim (a
 * user's `hardware-configuration.nix`) is a separate file, never spliced into an expression.
 */

/** One piece of a string: literal text (escaped by the printer) or an interpolated `${expr}`. */
export type NixStringPart = string | NixExpr;

export type NixBinaryOp =
  | "++" // list concatenation
  | "//" // attribute set update
  | "+"
  | "-"
  | "*"
  | "/"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "&&"
  | "||"
  | "->";

export type NixExpr =
  | { readonly kind: "string"; readonly parts: readonly NixStringPart[] }
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" }
  /** `./imports/hardware-configuration.nix`; relative paths must start with `./` or `../`. */
  | { readonly kind: "path"; readonly value: string }
  | { readonly kind: "list"; readonly items: readonly NixExpr[] }
  | { readonly kind: "attrs"; readonly rec: boolean; readonly entries: readonly NixAttrEntry[] }
  | { readonly kind: "id"; readonly name: string }
  /** `target.a.b`, or `target.a.b or fallback` when `fallback` is given. */
  | {
      readonly kind: "select";
      readonly target: NixExpr;
      readonly path: readonly string[];
      readonly fallback?: NixExpr;
    }
  /** `fn a b c` (curried application). */
  | { readonly kind: "call"; readonly fn: NixExpr; readonly args: readonly NixExpr[] }
  | { readonly kind: "lambda"; readonly param: NixParam; readonly body: NixExpr }
  | { readonly kind: "let"; readonly bindings: readonly NixAttrEntry[]; readonly body: NixExpr }
  | { readonly kind: "with"; readonly scope: NixExpr; readonly body: NixExpr }
  | {
      readonly kind: "if";
      readonly cond: NixExpr;
      readonly then: NixExpr;
      readonly else: NixExpr;
    }
  | { readonly kind: "not"; readonly expr: NixExpr }
  | {
      readonly kind: "binary";
      readonly op: NixBinaryOp;
      readonly left: NixExpr;
      readonly right: NixExpr;
    };

/**
 * An entry of an attribute set or `let`. `path` holds the attribute names one by one, so
 * `["services", "nats", "enable"]` prints as `services.nats.enable`, while a single name that
 * contains a dot (`["cim.example.com"]`) is quoted as one name.
 */
export type NixAttrEntry =
  | {
      readonly kind: "binding";
      readonly path: readonly string[];
      readonly value: NixExpr;
      /** Printed as `#` lines above the binding. */
      readonly comment?: string;
    }
  /** `inherit a b;` or `inherit (from) a b;` */
  | { readonly kind: "inherit"; readonly from?: NixExpr; readonly names: readonly string[] };

export type NixParam =
  | { readonly kind: "ident"; readonly name: string }
  /** `{ config, lib, pkgs, ... }:` — formals print in the given order; `as` gives `as@{ … }`. */
  | {
      readonly kind: "formals";
      readonly formals: readonly NixFormal[];
      readonly ellipsis: boolean;
      readonly as?: string;
    };

export interface NixFormal {
  readonly name: string;
  readonly default?: NixExpr;
}

// Constructors. They only build data; the printer checks names and values.

export const str = (text: string): NixExpr => ({ kind: "string", parts: [text] });

/** `interp(sel(id("pkgs"), "foo"), "/bin/foo")` prints `"${pkgs.foo}/bin/foo"`. */
export const interp = (...parts: NixStringPart[]): NixExpr => ({ kind: "string", parts });

export const int = (value: number): NixExpr => ({ kind: "int", value });
export const float = (value: number): NixExpr => ({ kind: "float", value });
// Two values for every `enable = true;` of every host: an expression is never changed.
const TRUE: NixExpr = { kind: "bool", value: true };
const FALSE: NixExpr = { kind: "bool", value: false };
export const bool = (value: boolean): NixExpr => (value ? TRUE : FALSE);
export const nul: NixExpr = { kind: "null" };
export const path = (value: string): NixExpr => ({ kind: "path", value });
export const list = (items: readonly NixExpr[]): NixExpr => ({ kind: "list", items });
export const id = (name: string): NixExpr => ({ kind: "id", name });

/**
 * An attribute set. With a record, each key is ONE attribute name (a dot in it is part of the
 * name); use `bind([...path], value)` entries for dotted paths such as `services.nats.enable`.
 */
export function attrs(
  entries: Readonly<Record<string, NixExpr>> | readonly NixAttrEntry[],
  options: { rec?: boolean } = {},
): NixExpr {
  return { kind: "attrs", rec: options.rec ?? false, entries: toEntries(entries) };
}

export const bind = (
  attrPath: readonly string[],
  value: NixExpr,
  comment?: string,
): NixAttrEntry =>
  comment === undefined
    ? { kind: "binding", path: attrPath, value }
    : { kind: "binding", path: attrPath, value, comment };

export const inherit = (names: readonly string[], from?: NixExpr): NixAttrEntry =>
  from === undefined ? { kind: "inherit", names } : { kind: "inherit", from, names };

/** `sel(id("config"), "services", "nats")` prints `config.services.nats`. */
export const sel = (target: NixExpr, ...attrPath: string[]): NixExpr => ({
  kind: "select",
  target,
  path: attrPath,
});

/** `target.a.b or fallback` */
export const selOr = (target: NixExpr, attrPath: readonly string[], fallback: NixExpr): NixExpr => ({
  kind: "select",
  target,
  path: attrPath,
  fallback,
});

export const call = (fn: NixExpr, ...args: NixExpr[]): NixExpr => ({ kind: "call", fn, args });

/** `fn("x", body)` is `x: body`; `fn(["config", "lib", "pkgs"], body)` is `{ config, lib, pkgs, ... }: body`. */
export function fn(param: string | readonly (string | NixFormal)[] | NixParam, body: NixExpr): NixExpr {
  if (typeof param === "string") return { kind: "lambda", param: { kind: "ident", name: param }, body };
  if (isParam(param)) return { kind: "lambda", param, body };
  return { kind: "lambda", param: formals(param), body };
}

/** Formals for `fn`; `ellipsis` defaults to true, as NixOS modules need it. */
export const formals = (
  names: readonly (string | NixFormal)[],
  options: { ellipsis?: boolean; as?: string } = {},
): NixParam => {
  const items = names.map((f) => (typeof f === "string" ? { name: f } : f));
  const base = { kind: "formals" as const, formals: items, ellipsis: options.ellipsis ?? true };
  return options.as === undefined ? base : { ...base, as: options.as };
};

export const letIn = (
  bindings: Readonly<Record<string, NixExpr>> | readonly NixAttrEntry[],
  body: NixExpr,
): NixExpr => ({ kind: "let", bindings: toEntries(bindings), body });

export const withScope = (scope: NixExpr, body: NixExpr): NixExpr => ({ kind: "with", scope, body });

export const ifThenElse = (cond: NixExpr, then: NixExpr, otherwise: NixExpr): NixExpr => ({
  kind: "if",
  cond,
  then,
  else: otherwise,
});

export const not = (expr: NixExpr): NixExpr => ({ kind: "not", expr });

export const binary = (left: NixExpr, op: NixBinaryOp, right: NixExpr): NixExpr => ({
  kind: "binary",
  op,
  left,
  right,
});

/** `import ./path.nix` */
export const importPath = (target: string): NixExpr => call(id("import"), path(target));

function toEntries(
  entries: Readonly<Record<string, NixExpr>> | readonly NixAttrEntry[],
): readonly NixAttrEntry[] {
  if (Array.isArray(entries)) return entries as readonly NixAttrEntry[];
  return Object.entries(entries as Readonly<Record<string, NixExpr>>).map(([name, value]) =>
    bind([name], value),
  );
}

function isParam(p: readonly (string | NixFormal)[] | NixParam): p is NixParam {
  return !Array.isArray(p);
}
