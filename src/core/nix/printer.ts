/**
 * The one place that turns the Nix AST into text. Output is deterministic: attribute set and
 * `let` entries are sorted (by Unicode code point, segment by segment, which is also the order
 * Nix itself lists attribute names in), indentation is two spaces, and files end with exactly
 * one newline. Anything Nix cannot represent makes the printer throw `E_NIX_UNPRINTABLE`:
 * validation is expected to refuse such input first, with `nixStringProblem`.
 */
import { AlchemistFailure, err } from "../errors";
import type { NixAttrEntry, NixBinaryOp, NixExpr, NixParam, NixStringPart } from "./ast";

/** The reserved words of the Nix lexer; none of them may stand as a bare attribute name. */
const NIX_KEYWORDS: ReadonlySet<string> = new Set([
  "if",
  "then",
  "else",
  "assert",
  "with",
  "let",
  "in",
  "rec",
  "inherit",
  "or",
]);

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;
const INDENT = "  ";
// Lists and short `if`s stay on one line while they fit; wider ones get one item per line.
const MAX_INLINE_WIDTH = 80;

export function isNixIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !NIX_KEYWORDS.has(name);
}

/** An attribute name as it must appear in Nix source: bare when possible, else quoted. */
export function nixAttrName(name: string): string {
  if (isNixIdentifier(name)) return name;
  const problem = nixStringProblem(name);
  if (problem !== null) throw unprintable(`attribute name: ${problem}`);
  return `"${escapeDoubleQuoted(name, false)}"`;
}

// Control characters other than tab, newline and carriage return, DEL, and any surrogate
// (a paired one is fine, which the loop below tells).
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff]/;

/**
 * Why `s` cannot be carried by a Nix string, or null when it can. Nix strings have escapes
 * only for newline, carriage return and tab; other control characters (and NUL above all)
 * have no spelling, and an unpaired UTF-16 surrogate has no UTF-8 encoding.
 */
export function nixStringProblem(s: string): string | null {
  // Every string of a design passes here, twice; one search clears nearly all of them, and
  // only text with a suspect character is walked to find which one and where.
  if (s.search(SUSPECT) === -1) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) {
      const hex = c.toString(16).toUpperCase().padStart(4, "0");
      return `control character U+${hex} at position ${i} cannot be written in a Nix string`;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      return `unpaired surrogate at position ${i} is not valid Unicode`;
    }
  }
  return null;
}

/** The expression as Nix source, without a trailing newline. */
export function printNix(expr: NixExpr): string {
  return print(expr, "", LOWEST);
}

/** A whole `.nix` file: optional `#` header lines, the expression, exactly one final newline. */
export function printFile(expr: NixExpr, options: { header?: string } = {}): string {
  const header = options.header === undefined ? "" : `${commentLines(options.header, "")}\n`;
  return `${header}${printNix(expr)}\n`;
}

/**
 * Compares attribute names by code point, the order of UTF-8 bytes that Nix sorts by. Plain
 * UTF-16 comparison would put astral characters (emoji) before U+E000–U+FFFF.
 */
export function compareAttrNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

function codeUnitRank(u: number): number {
  if (u >= 0xd800 && u <= 0xdfff) return u + 0x2000;
  if (u >= 0xe000) return u - 0x800;
  return u;
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareAttrNames(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** `a.b."c.d"`: written for every binding of every file, so without an array per path. */
function printAttrPath(path: readonly string[]): string {
  let out = path.length > 0 ? nixAttrName(path[0] as string) : "";
  for (let i = 1; i < path.length; i++) out += `.${nixAttrName(path[i] as string)}`;
  return out;
}

function unprintable(message: string): AlchemistFailure {
  return new AlchemistFailure(err("E_NIX_UNPRINTABLE", message));
}

// Binding strength, after the operator table of the Nix manual: a child whose level is above
// what its position allows is put in parentheses.
const ATOM = 0;
const SELECT = 1;
const APPLY = 2;
const NEGATE = 3;
const NOT = 8;
const LOWEST = 15;

const OPERATORS: Record<NixBinaryOp, { level: number; assoc: "left" | "right" | "none" }> = {
  "++": { level: 5, assoc: "right" },
  "*": { level: 6, assoc: "left" },
  "/": { level: 6, assoc: "left" },
  "+": { level: 7, assoc: "left" },
  "-": { level: 7, assoc: "left" },
  "//": { level: 9, assoc: "right" },
  "<": { level: 10, assoc: "none" },
  "<=": { level: 10, assoc: "none" },
  ">": { level: 10, assoc: "none" },
  ">=": { level: 10, assoc: "none" },
  "==": { level: 11, assoc: "none" },
  "!=": { level: 11, assoc: "none" },
  "&&": { level: 12, assoc: "left" },
  "||": { level: 13, assoc: "left" },
  "->": { level: 14, assoc: "right" },
};

function levelOf(expr: NixExpr): number {
  switch (expr.kind) {
    case "int":
    case "float":
      return expr.value < 0 ? NEGATE : ATOM;
    case "select":
      // `or` reads ambiguously inside lists and arguments, so a fallback always gets parentheses there.
      return expr.fallback === undefined ? SELECT : APPLY;
    case "call":
      return APPLY;
    case "not":
      return NOT;
    case "binary":
      return OPERATORS[expr.op].level;
    case "lambda":
    case "let":
    case "with":
    case "if":
      return LOWEST;
    default:
      return ATOM;
  }
}

function print(expr: NixExpr, indent: string, maxLevel: number): string {
  const text = printBare(expr, indent);
  return levelOf(expr) > maxLevel ? `(${text})` : text;
}

function printBare(expr: NixExpr, indent: string): string {
  switch (expr.kind) {
    case "string":
      return printString(expr.parts, indent);
    case "int":
      if (!Number.isSafeInteger(expr.value)) throw unprintable(`${expr.value} is not a safe integer`);
      return String(expr.value);
    case "float":
      return printFloat(expr.value);
    case "bool":
      return expr.value ? "true" : "false";
    case "null":
      return "null";
    case "path":
      return printPath(expr.value);
    case "id":
      if (!isNixIdentifier(expr.name)) throw unprintable(`"${expr.name}" is not a Nix identifier`);
      return expr.name;
    case "list":
      return printList(expr.items, indent);
    case "attrs":
      return `${expr.rec ? "rec " : ""}${printEntries(expr.entries, indent, "{", "}")}`;
    case "select": {
      if (expr.path.length === 0) throw unprintable("attribute selection needs at least one name");
      const target = print(expr.target, indent, targetLevel(expr.target));
      const selected = `${target}.${printAttrPath(expr.path)}`;
      return expr.fallback === undefined
        ? selected
        : `${selected} or ${print(expr.fallback, indent, SELECT)}`;
    }
    case "call":
      if (expr.args.length === 0) throw unprintable("a function call needs at least one argument");
      return [print(expr.fn, indent, APPLY), ...expr.args.map((a) => print(a, indent, SELECT))].join(
        " ",
      );
    case "lambda":
      return printLambda(expr.param, expr.body, indent);
    case "let": {
      if (expr.bindings.length === 0) return printBare(expr.body, indent);
      const inner = indent + INDENT;
      const bindings = sortedEntries(expr.bindings).map((e) => printEntry(e, inner));
      return `let\n${bindings.join("\n")}\n${indent}in\n${indent}${print(expr.body, indent, LOWEST)}`;
    }
    case "with":
      return `with ${print(expr.scope, indent, LOWEST)}; ${print(expr.body, indent, LOWEST)}`;
    case "if":
      return printIf(expr.cond, expr.then, expr.else, indent);
    case "not":
      return `!${print(expr.expr, indent, NOT)}`;
    case "binary": {
      const { level, assoc } = OPERATORS[expr.op];
      const left = print(expr.left, indent, assoc === "left" ? level : level - 1);
      const right = print(expr.right, indent, assoc === "right" ? level : level - 1);
      return `${left} ${expr.op} ${right}`;
    }
  }
}

// `a.b.c` is the same as `(a.b).c`, so a plain selection may be selected from without parentheses.
function targetLevel(target: NixExpr): number {
  return target.kind === "select" && target.fallback === undefined ? SELECT : ATOM;
}

function printFloat(value: number): string {
  if (!Number.isFinite(value)) throw unprintable(`${value} is not a finite number`);
  // Nix reads `1e21` as the integer 1 followed by an identifier: the mantissa needs a dot.
  const [mantissa = "", exponent] = String(Math.abs(value)).split("e");
  const dotted = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  const sign = value < 0 ? "-" : "";
  return exponent === undefined ? `${sign}${dotted}` : `${sign}${dotted}e${exponent}`;
}

const PATH = /^(~|[a-zA-Z0-9._+-]*)(\/[a-zA-Z0-9._+-]+)+$/;
const SEARCH_PATH = /^<[a-zA-Z0-9._+-]+(\/[a-zA-Z0-9._+-]+)*>$/;

function printPath(value: string): string {
  if (!PATH.test(value) && !SEARCH_PATH.test(value)) {
    throw unprintable(`"${value}" is not a Nix path literal (expected e.g. ./imports/file.nix)`);
  }
  return value;
}

/** `width`: what else stands on the list's line, its indentation and a name in front of it. */
function printList(items: readonly NixExpr[], indent: string, width = indent.length): string {
  if (items.length === 0) return "[ ]";
  const inner = indent + INDENT;
  const printed = items.map((item) => print(item, inner, SELECT));
  const inline = `[ ${printed.join(" ")} ]`;
  return fitsInline(inline, width) ? inline : printListMultiline(printed, indent);
}

function printListMultiline(printedItems: readonly string[], indent: string): string {
  const inner = indent + INDENT;
  return `[\n${printedItems.map((p) => inner + p).join("\n")}\n${indent}]`;
}

function fitsInline(text: string, width: number): boolean {
  return !text.includes("\n") && width + text.length <= MAX_INLINE_WIDTH;
}

function printIf(cond: NixExpr, then: NixExpr, otherwise: NixExpr, indent: string): string {
  const inner = indent + INDENT;
  const c = print(cond, indent, LOWEST);
  const inline = `if ${c} then ${print(then, indent, LOWEST)} else ${print(otherwise, indent, LOWEST)}`;
  if (fitsInline(inline, indent.length)) return inline;
  return `if ${c} then\n${inner}${print(then, inner, LOWEST)}\n${indent}else\n${inner}${print(otherwise, inner, LOWEST)}`;
}

function printLambda(param: NixParam, body: NixExpr, indent: string): string {
  if (param.kind === "ident") {
    if (!isNixIdentifier(param.name)) throw unprintable(`"${param.name}" is not a Nix identifier`);
    return `${param.name}: ${print(body, indent, LOWEST)}`;
  }
  const names = param.formals.map((f) => {
    if (!isNixIdentifier(f.name)) throw unprintable(`"${f.name}" is not a Nix identifier`);
    return f.default === undefined ? f.name : `${f.name} ? ${print(f.default, indent, LOWEST)}`;
  });
  if (param.ellipsis) names.push("...");
  const set = names.length === 0 ? "{ }" : `{ ${names.join(", ")} }`;
  if (param.as !== undefined && !isNixIdentifier(param.as)) {
    throw unprintable(`"${param.as}" is not a Nix identifier`);
  }
  const head = param.as === undefined ? set : `${param.as}@${set}`;
  const printed = print(body, indent, LOWEST);
  // A module's `{ config, lib, pkgs, ... }:` reads best with its body starting on its own line.
  return printed.includes("\n") ? `${head}:\n${indent}${printed}` : `${head}: ${printed}`;
}

function printEntries(
  entries: readonly NixAttrEntry[],
  indent: string,
  open: string,
  close: string,
): string {
  if (entries.length === 0) return `${open} ${close}`;
  const inner = indent + INDENT;
  const lines = sortedEntries(entries).map((e) => printEntry(e, inner));
  return `${open}\n${lines.join("\n")}\n${indent}${close}`;
}

/**
 * Inherits first, then bindings by attribute path. Two entries defining the same attribute
 * would be rejected by Nix ("attribute already defined"), so they are rejected here.
 */
function sortedEntries(entries: readonly NixAttrEntry[]): NixAttrEntry[] {
  // One pass and no copies: every set of every file goes through here.
  const inherits: Extract<NixAttrEntry, { kind: "inherit" }>[] = [];
  const bindings: Extract<NixAttrEntry, { kind: "binding" }>[] = [];
  for (const e of entries) {
    if (e.kind === "inherit") inherits.push(e);
    else bindings.push(e);
  }
  bindings.sort((a, b) => comparePaths(a.path, b.path));
  const inherited = new Set<string>();
  for (const e of inherits) {
    for (const name of e.names) {
      if (inherited.has(name)) throw unprintable(`attribute "${name}" is inherited twice`);
      inherited.add(name);
    }
  }
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i]!;
    if (b.path.length === 0) throw unprintable("a binding needs at least one attribute name");
    const first = b.path[0] as string;
    if (inherited.has(first)) throw unprintable(`attribute "${first}" is both inherited and bound`);
    const next = bindings[i + 1];
    if (next !== undefined && isPrefix(b.path, next.path)) {
      // Nix merges `a = { … }; a.b = …;` but nothing else under an already bound name.
      const mergeable = b.path.length < next.path.length && b.value.kind === "attrs" && !b.value.rec;
      if (!mergeable) throw unprintable(`attribute "${b.path.join(".")}" is defined twice`);
    }
  }
  if (inherits.length === 0) return bindings;
  inherits.sort((a, b) => comparePaths(a.names, b.names));
  return [...inherits, ...bindings];
}

function isPrefix(short: readonly string[], long: readonly string[]): boolean {
  return short.length <= long.length && short.every((s, i) => s === long[i]);
}

function printEntry(entry: NixAttrEntry, indent: string): string {
  if (entry.kind === "inherit") {
    if (entry.names.length === 0) throw unprintable("inherit needs at least one name");
    const from = entry.from === undefined ? "" : ` (${print(entry.from, indent, LOWEST)})`;
    return `${indent}inherit${from} ${entry.names.map(nixAttrName).join(" ")};`;
  }
  const comment = entry.comment === undefined ? "" : `${commentLines(entry.comment, indent)}\n`;
  const head = `${indent}${printAttrPath(entry.path)} = `;
  // A list stays on one line only if it fits there with the name in front of it and the `;`.
  const value = entry.value.kind === "list" ? printList(entry.value.items, indent, head.length + 1) : print(entry.value, indent, LOWEST);
  return `${comment}${head}${value};`;
}

function commentLines(text: string, indent: string): string {
  return text
    .split("\n")
    .map((line) => {
      const problem = nixStringProblem(line);
      if (problem !== null || line.includes("\r")) {
        throw unprintable(`comment: ${problem ?? "carriage return in a comment line"}`);
      }
      return line === "" ? `${indent}#` : `${indent}# ${line}`;
    })
    .join("\n");
}

// Strings.

/** Adjacent literal parts are joined so escaping sees the whole text (e.g. `"$"` + `"{"`). */
function normalizeParts(parts: readonly NixStringPart[]): readonly NixStringPart[] {
  // Most strings are a single literal already: they are checked, not copied.
  const out = parts.every((part, i) => part !== "" && (typeof part !== "string" || typeof parts[i + 1] !== "string")) ? parts : joinedParts(parts);
  for (const part of out) {
    if (typeof part !== "string") continue;
    const problem = nixStringProblem(part);
    if (problem !== null) throw unprintable(problem);
  }
  return out;
}

function joinedParts(parts: readonly NixStringPart[]): NixStringPart[] {
  const out: NixStringPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === "string" && typeof last === "string") out[out.length - 1] = last + part;
    else if (part !== "") out.push(part);
  }
  return out;
}

function printString(rawParts: readonly NixStringPart[], indent: string): string {
  const parts = normalizeParts(rawParts);
  // Most strings are one line of literal text: written at once, without the general path's arrays.
  const only = parts.length === 1 ? parts[0] : undefined;
  if (typeof only === "string" && !only.includes("\n")) return `"${escapeDoubleQuoted(only, false)}"`;
  return printIndentedString(parts, indent) ?? printDoubleQuoted(parts, indent);
}

function printDoubleQuoted(parts: readonly NixStringPart[], indent: string): string {
  const body = parts.map((part, i) =>
    typeof part === "string"
      ? escapeDoubleQuoted(part, typeof parts[i + 1] === "object")
      : `\${${print(part, indent, LOWEST)}}`,
  );
  return `"${body.join("")}"`;
}

/**
 * `beforeInterpolation`: the text is followed by `${…}`, so a final `$` must be escaped too —
 * `"$${x}"` would be read as the literal text `$${x}`.
 */
function escapeDoubleQuoted(text: string, beforeInterpolation: boolean): string {
  // Most text needs no escape at all, which one search tells; a loop over characters is slower.
  const escaped = text.search(DOUBLE_QUOTED_SPECIAL) === -1 ? text : text.replace(DOUBLE_QUOTED_SPECIAL, (c) => DOUBLE_QUOTED_ESCAPES[c] ?? c);
  return beforeInterpolation && text.endsWith("$") ? `${escaped.slice(0, -1)}\\$` : escaped;
}

// `$` only before `{`: elsewhere it starts no interpolation and stays as it is.
const DOUBLE_QUOTED_SPECIAL = /[\\"\n\r\t]|\$(?=\{)/g;
const DOUBLE_QUOTED_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  $: "\\$",
};

function dollarNeedsEscape(text: string, i: number, beforeInterpolation: boolean): boolean {
  return text[i + 1] === "{" || (i === text.length - 1 && beforeInterpolation);
}

/**
 * Multi-line text as an indented string `''…''`, or null when its rules (common indentation
 * stripped, a final all-space line dropped, `'` before the closing `''`) would change the
 * text. Then the caller falls back to a double-quoted string, which is always exact.
 */
function printIndentedString(parts: readonly NixStringPart[], indent: string): string | null {
  if (!parts.some((p) => typeof p === "string" && p.includes("\n"))) return null;
  if (parts.some((p) => typeof p === "string" && p.includes("\r"))) return null;
  const lines = splitLines(parts);
  // Nix strips the smallest indentation of the lines with content; with our prefix added, one
  // line must start right at the prefix or the text's own leading spaces would be stripped.
  const startsAtPrefix = lines.some((line) => {
    const first = line[0];
    return first !== undefined && (typeof first !== "string" || !first.startsWith(" "));
  });
  if (!startsAtPrefix) return null;
  const last = lines[lines.length - 1] as NixStringPart[];
  const lastPart = last[last.length - 1];
  if (typeof lastPart === "string") {
    const onlySpaces = last.length === 1 && /^ +$/.test(lastPart);
    if (onlySpaces || lastPart.endsWith("'")) return null;
  }
  const inner = indent + INDENT;
  const body = lines.map((line, n) => {
    if (line.length === 0) return n === lines.length - 1 ? indent : "";
    const text = line.map((part, i) =>
      typeof part === "string"
        ? escapeIndented(part, typeof line[i + 1] === "object")
        : `\${${print(part, inner, LOWEST)}}`,
    );
    return inner + text.join("");
  });
  return `''\n${body.join("\n")}''`;
}

function splitLines(parts: readonly NixStringPart[]): NixStringPart[][] {
  const lines: NixStringPart[][] = [[]];
  for (const part of parts) {
    if (typeof part !== "string") {
      (lines[lines.length - 1] as NixStringPart[]).push(part);
      continue;
    }
    part.split("\n").forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece !== "") (lines[lines.length - 1] as NixStringPart[]).push(piece);
    });
  }
  return lines;
}

/**
 * Inside `''…''`: `''` is written `'''`, `${` is written `''${`, and a lone `'` right before
 * such an escape is written `''\'` so that it does not pair up with the escape's quotes.
 */
function escapeIndented(text: string, beforeInterpolation: boolean): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("''", i)) {
      out += "'''";
      i += 2;
    } else if (text[i] === "$" && dollarNeedsEscape(text, i, beforeInterpolation)) {
      out += "''$";
      i += 1;
    } else if (text[i] === "'" && text[i + 1] === "$" && dollarNeedsEscape(text, i + 1, beforeInterpolation)) {
      out += "''\\'";
      i += 1;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}
