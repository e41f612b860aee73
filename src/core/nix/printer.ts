/**
 * The one place that turns the Nix AST into text. Output is deterministic: attribute set and
 * `let` entries are sorted (by Unicode code point, segment by segment, which is also the order
 * Nix itself lists attribute names in), indentation is two spaces, and files end with exactly
 * one newline. Anything Nix cannot represent makes the printer throw `E_NIX_UNPRINTABLE`:
 * validation is expected to refuse such input first, with `nixStringProblem`.
 */
import { AlchemistFailure, err } from "../errors";
import { sortInPlace } from "../order";
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

const INDENT = "  ";
// Lists and short `if`s stay on one line while they fit; wider ones get one item per line.
const MAX_INLINE_WIDTH = 80;

// What may start an identifier (`[a-zA-Z_]`) and what may follow (also `[0-9'-]`), by ASCII
// code. Every attribute name a file binds first is checked: a table is a little faster than a
// regular expression for names this short (31 against 41 ns at best, measured).
const STARTS = 2;
const FOLLOWS = 1;
const IDENTIFIER_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-zA-Z_]/.test(ch)) IDENTIFIER_CHARS[c] = STARTS | FOLLOWS;
  else if (/[0-9'-]/.test(ch)) IDENTIFIER_CHARS[c] = FOLLOWS;
}
// No keyword is longer than `inherit`.
const LONGEST_KEYWORD = 7;

/** Whether `name` matches `[a-zA-Z_][a-zA-Z0-9_'-]*` and is no keyword. */
export function isNixIdentifier(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  const first = name.charCodeAt(0);
  if (first >= 128 || (IDENTIFIER_CHARS[first]! & STARTS) === 0) return false;
  for (let i = 1; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || IDENTIFIER_CHARS[c] === 0) return false;
  }
  return n > LONGEST_KEYWORD || !NIX_KEYWORDS.has(name);
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
  return text(expr, "", LOWEST);
}

/** A whole `.nix` file: optional `#` header lines, the expression, exactly one final newline. */
export function printFile(expr: NixExpr, options: { header?: string } = {}): string {
  const out: string[] = [];
  if (options.header !== undefined) out.push(commentLines(options.header, ""), "\n");
  write(expr, "", LOWEST, out);
  out.push("\n");
  return out.join("");
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

/**
 * The printer appends a file's text to one array of chunks, joined once at the end: a string
 * per nested set, joined again by the set around it, copied a file's text once per level of
 * nesting and, for flake.nix at 10 000 nodes, made megabytes of short-lived large strings.
 */
type Out = string[];

/**
 * The strings of one indentation, made once rather than per set: most of a file's chunks are
 * line breaks and indentation. `indent` is always one of these, so `indent.length` finds it.
 */
interface Depth {
  readonly indent: string;
  /** A line break and the indentation of the next line. */
  readonly newline: string;
  /** The `;` that ends a binding, and the next line. */
  readonly next: string;
  /** A list's `[` when its items go one per line (at the next depth). */
  readonly listOpen: string;
  /** A line break and the `]` of a list whose items went one per line. */
  readonly listClose: string;
  /** A set's `{` and its first line, for a set whose entries are at this depth. */
  readonly setOpen: string;
  /** The last entry's `;`, a line break and the `}` of a set at this depth. */
  readonly setClose: string;
  /** By attribute name: the entry before's `;`, the next line and `name = ` (see `boundAfter`). */
  readonly bound: Map<string, string>;
}

const DEPTHS: Depth[] = [];

function depth(indent: string): Depth {
  const known = DEPTHS[indent.length];
  if (known !== undefined) return known;
  // One chunk where two would do: a file's chunks are joined one by one, about 20 ns each.
  const made = { indent, newline: flat("\n", indent), next: flat(";\n", indent), listOpen: flat("[\n", indent, INDENT), listClose: flat("\n", indent, "]"), setOpen: flat("{\n", indent), setClose: flat(";\n", indent, "}"), bound: new Map<string, string>() };
  DEPTHS[indent.length] = made;
  return made;
}

/**
 * The pieces as one string in one piece, for a chunk written many times: `a + b` is a pair that
 * points to both (once it is 13 characters or more), and joining such a chunk takes half as
 * long again as joining a flat one.
 */
const flat = (...pieces: string[]): string => pieces.join("");

/** The indentation one level in, the same string every time. */
const deeper = (indent: string): string => (DEPTHS[indent.length + INDENT.length] ?? depth(flat(indent, INDENT))).indent;

/** `expr` as a string of its own, for the few places that must see a part before placing it. */
function text(expr: NixExpr, indent: string, maxLevel: number): string {
  const out: Out = [];
  write(expr, indent, maxLevel, out);
  return out.join("");
}

function write(expr: NixExpr, indent: string, maxLevel: number, out: Out): void {
  if (levelOf(expr) <= maxLevel) return writeBare(expr, indent, out);
  out.push("(");
  writeBare(expr, indent, out);
  out.push(")");
}

function writeBare(expr: NixExpr, indent: string, out: Out): void {
  switch (expr.kind) {
    case "string":
      out.push(printString(expr.parts, indent));
      return;
    case "int":
      out.push(printInt(expr.value));
      return;
    case "float":
      out.push(printFloat(expr.value));
      return;
    case "bool":
      out.push(expr.value ? "true" : "false");
      return;
    case "null":
      out.push("null");
      return;
    case "path":
      out.push(printPath(expr.value));
      return;
    case "id":
      if (!isNixIdentifier(expr.name)) throw unprintable(`"${expr.name}" is not a Nix identifier`);
      out.push(expr.name);
      return;
    case "list":
      return writeList(expr.items, indent, indent.length, out);
    case "attrs":
      if (expr.rec) out.push("rec ");
      return writeEntries(expr.entries, indent, out);
    case "select":
      if (expr.path.length === 0) throw unprintable("attribute selection needs at least one name");
      write(expr.target, indent, targetLevel(expr.target), out);
      out.push(".", printAttrPath(expr.path));
      if (expr.fallback === undefined) return;
      out.push(" or ");
      return write(expr.fallback, indent, SELECT, out);
    case "call":
      if (expr.args.length === 0) throw unprintable("a function call needs at least one argument");
      write(expr.fn, indent, APPLY, out);
      for (const a of expr.args) {
        out.push(" ");
        write(a, indent, SELECT, out);
      }
      return;
    case "lambda":
      return writeLambda(expr.param, expr.body, indent, out);
    case "let": {
      if (expr.bindings.length === 0) return writeBare(expr.body, indent, out);
      const sorted = sortedEntries(expr.bindings);
      const inner = deeper(indent);
      out.push("let", depth(inner).newline);
      writeLines(sorted, inner, out);
      const { newline } = depth(indent);
      out.push(";", newline, "in", newline);
      return write(expr.body, indent, LOWEST, out);
    }
    case "with":
      out.push("with ");
      write(expr.scope, indent, LOWEST, out);
      out.push("; ");
      return write(expr.body, indent, LOWEST, out);
    case "if":
      out.push(printIf(expr.cond, expr.then, expr.else, indent));
      return;
    case "not":
      out.push("!");
      return write(expr.expr, indent, NOT, out);
    case "binary": {
      const { level, assoc } = OPERATORS[expr.op];
      write(expr.left, indent, assoc === "left" ? level : level - 1, out);
      out.push(` ${expr.op} `);
      return write(expr.right, indent, assoc === "right" ? level : level - 1, out);
    }
  }
}

// `a.b.c` is the same as `(a.b).c`, so a plain selection may be selected from without parentheses.
function targetLevel(target: NixExpr): number {
  return target.kind === "select" && target.fallback === undefined ? SELECT : ATOM;
}

function printInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw unprintable(`${value} is not a safe integer`);
  return String(value);
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

// Where each list being written has its separators: one stack for all of them (lists nest),
// rather than an array per list.
const listSlots: number[] = [];

/**
 * `width`: what else stands on the list's line, its indentation and a name in front of it.
 * The items are written once, each after a separator slot that is filled when it is known
 * whether the list fits on one line.
 */
function writeList(items: readonly NixExpr[], indent: string, width: number, out: Out): void {
  if (items.length === 0) {
    out.push("[ ]");
    return;
  }
  if (writeScalarList(items, indent, width, out)) return;
  const inner = deeper(indent);
  const start = out.length;
  const base = listSlots.length;
  try {
    out.push("[ ");
    write(items[0]!, inner, SELECT, out);
    for (let i = 1; i < items.length; i++) {
      listSlots.push(out.length);
      out.push(" ");
      write(items[i]!, inner, SELECT, out);
    }
    // `[ `, the items with a space between them, and ` ]`.
    if (fitsInline(out, start, width + 2)) {
      out.push(" ]");
      return;
    }
    const { listOpen, listClose } = depth(indent);
    out[start] = listOpen;
    const between = depth(inner).newline;
    for (let i = base; i < listSlots.length; i++) out[listSlots[i]!] = between;
    out.push(listClose);
  } finally {
    listSlots.length = base;
  }
}

/**
 * A list of strings and numbers only, which most lists are, as one chunk (or three) rather
 * than two per item, since nothing in it is placed later; false for any other list. The same
 * text as the general case: the items at the next depth, on one line if it fits.
 */
function writeScalarList(items: readonly NixExpr[], indent: string, width: number, out: Out): boolean {
  const inner = deeper(indent);
  // At its length: pushing onto an empty array reserves room for 16 items, and most lists hold one or two.
  const texts = new Array<string>(items.length);
  // `[ `, the items with a space between them, and ` ]`.
  let length = width + 4 + items.length - 1;
  let multiline = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let text: string;
    if (item.kind === "string") {
      // A plain string is one line; looking for a line break in its quoted text would copy it.
      const plain = plainString(item.parts);
      text = plain ?? printString(item.parts, inner);
      if (plain === undefined && text.includes("\n")) multiline = true;
    }
    // A negative number is put in parentheses, which the general case sees to.
    else if (item.kind === "int" && item.value >= 0) text = printInt(item.value);
    else return false;
    texts[i] = text;
    length += text.length;
  }
  if (!multiline && length <= MAX_INLINE_WIDTH) out.push(`[ ${texts.join(" ")} ]`);
  else {
    const { listOpen, listClose } = depth(indent);
    out.push(listOpen, texts.join(depth(inner).newline), listClose);
  }
  return true;
}

/** Whether the chunks from `from` on make one line that fits after `width` other characters. */
function fitsInline(out: Out, from: number, width: number): boolean {
  let length = width;
  for (let i = from; i < out.length; i++) {
    const chunk = out[i]!;
    length += chunk.length;
    if (length > MAX_INLINE_WIDTH || chunk.includes("\n")) return false;
  }
  return true;
}

function hasNewline(out: Out, from: number): boolean {
  for (let i = from; i < out.length; i++) if (out[i]!.includes("\n")) return true;
  return false;
}

function printIf(cond: NixExpr, then: NixExpr, otherwise: NixExpr, indent: string): string {
  const inner = deeper(indent);
  const c = text(cond, indent, LOWEST);
  const inline = `if ${c} then ${text(then, indent, LOWEST)} else ${text(otherwise, indent, LOWEST)}`;
  if (fitsInline([inline], 0, indent.length)) return inline;
  return `if ${c} then\n${inner}${text(then, inner, LOWEST)}\n${indent}else\n${inner}${text(otherwise, inner, LOWEST)}`;
}

function writeLambda(param: NixParam, body: NixExpr, indent: string, out: Out): void {
  if (param.kind === "ident") {
    if (!isNixIdentifier(param.name)) throw unprintable(`"${param.name}" is not a Nix identifier`);
    out.push(param.name, ": ");
    return write(body, indent, LOWEST, out);
  }
  const names = param.formals.map((f) => {
    if (!isNixIdentifier(f.name)) throw unprintable(`"${f.name}" is not a Nix identifier`);
    return f.default === undefined ? f.name : `${f.name} ? ${text(f.default, indent, LOWEST)}`;
  });
  if (param.ellipsis) names.push("...");
  const set = names.length === 0 ? "{ }" : `{ ${names.join(", ")} }`;
  if (param.as !== undefined && !isNixIdentifier(param.as)) {
    throw unprintable(`"${param.as}" is not a Nix identifier`);
  }
  const head = param.as === undefined ? set : `${param.as}@${set}`;
  const slot = out.length;
  out.push("");
  write(body, indent, LOWEST, out);
  // A module's `{ config, lib, pkgs, ... }:` reads best with its body starting on its own line.
  out[slot] = hasNewline(out, slot + 1) ? `${head}:\n${indent}` : `${head}: `;
}

function writeEntries(entries: readonly NixAttrEntry[], indent: string, out: Out): void {
  if (entries.length === 0) {
    out.push("{ }");
    return;
  }
  const sorted = sortedEntries(entries);
  const inner = deeper(indent);
  out.push(depth(inner).setOpen);
  writeLines(sorted, inner, out);
  out.push(depth(indent).setClose);
}

/** Entries one per line, after the first line's indentation and without the last one's `;`. */
function writeLines(entries: readonly NixAttrEntry[], indent: string, out: Out): void {
  const at = depth(indent);
  for (let i = 0; i < entries.length; i++) writeEntry(entries[i]!, at, i > 0, out);
}

/*
 * A binding's `name = ` is a string made once per name (and depth), not three chunks: a file's
 * chunks are joined one by one (~20 ns each) and most are a binding's `;` and line break, its
 * name and ` = `. Attribute names repeat thousands of times (`enable`, `after`), and a name
 * found here is not checked again. A design's own names (services, variables) can be many, so
 * a cache that grows past MAX_BOUND starts again.
 */
const MAX_BOUND = 4096;
const BOUND = new Map<string, string>();

/** `name = ` for a binding of a one-name path. */
function bound(name: string): string {
  const known = BOUND.get(name);
  if (known !== undefined) return known;
  const made = flat(nixAttrName(name), " = ");
  remember(BOUND, name, made);
  return made;
}

/** `;`, the next line at `at` and `name = `: a binding after another in its set. */
function boundAfter(at: Depth, name: string): string {
  const known = at.bound.get(name);
  if (known !== undefined) return known;
  const made = flat(at.next, bound(name));
  remember(at.bound, name, made);
  return made;
}

function remember(cache: Map<string, string>, name: string, made: string): void {
  if (cache.size >= MAX_BOUND) cache.clear();
  cache.set(name, made);
}

/**
 * Inherits first, then bindings by attribute path. Two entries defining the same attribute
 * would be rejected by Nix ("attribute already defined"), so they are rejected here.
 */
type Binding = Extract<NixAttrEntry, { kind: "binding" }>;
type Inherit = Extract<NixAttrEntry, { kind: "inherit" }>;

const byPath = (a: Binding, b: Binding): number => comparePaths(a.path, b.path);
const byNames = (a: Inherit, b: Inherit): number => comparePaths(a.names, b.names);

function sortedEntries(entries: readonly NixAttrEntry[]): readonly NixAttrEntry[] {
  // Every set of every file goes through here: a set of bindings already in order is checked,
  // not copied, and the others are sorted without Array.prototype.sort's work array.
  let ordered = true;
  let inheritCount = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.kind === "inherit") inheritCount++;
    // With no inherit so far, the entry before is a binding; with one, the entries are copied anyway.
    else if (ordered && inheritCount === 0 && i > 0 && byPath(entries[i - 1] as Binding, e) > 0) ordered = false;
  }
  let bindings = entries as readonly Binding[];
  const inherits: Inherit[] = [];
  if (!ordered || inheritCount > 0) {
    const unsorted: Binding[] = [];
    for (const e of entries) {
      if (e.kind === "inherit") inherits.push(e);
      else unsorted.push(e);
    }
    sortInPlace(unsorted, byPath);
    bindings = unsorted;
  }
  const inherited = inherits.length > 0 ? new Set<string>() : undefined;
  for (const e of inherits) {
    for (const name of e.names) {
      if (inherited!.has(name)) throw unprintable(`attribute "${name}" is inherited twice`);
      inherited!.add(name);
    }
  }
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i]!;
    if (b.path.length === 0) throw unprintable("a binding needs at least one attribute name");
    const first = b.path[0] as string;
    if (inherited?.has(first)) throw unprintable(`attribute "${first}" is both inherited and bound`);
    const next = bindings[i + 1];
    if (next !== undefined && isPrefix(b.path, next.path)) {
      // Nix merges `a = { … }; a.b = …;` but nothing else under an already bound name.
      const mergeable = b.path.length < next.path.length && b.value.kind === "attrs" && !b.value.rec;
      if (!mergeable) throw unprintable(`attribute "${b.path.join(".")}" is defined twice`);
    }
  }
  if (inherits.length === 0) return bindings;
  sortInPlace(inherits, byNames);
  return [...inherits, ...bindings];
}

// A loop rather than `every`, whose callback is made anew for each binding of every set.
function isPrefix(short: readonly string[], long: readonly string[]): boolean {
  if (short.length > long.length) return false;
  for (let i = 0; i < short.length; i++) if (short[i] !== long[i]) return false;
  return true;
}

/**
 * An entry without its `;`, on a line whose indentation is written, or with `after` (it
 * follows another entry) the `;` of the one before and the line break first.
 */
function writeEntry(entry: NixAttrEntry, at: Depth, after: boolean, out: Out): void {
  const { indent } = at;
  if (entry.kind === "binding" && entry.comment === undefined) {
    const { path } = entry;
    let head: string;
    let nameWidth: number;
    if (path.length === 1) {
      head = after ? boundAfter(at, path[0]!) : bound(path[0]!);
      nameWidth = head.length - (after ? at.next.length : 0) - " = ".length;
    } else {
      const name = printAttrPath(path);
      head = after ? `${at.next}${name} = ` : `${name} = `;
      nameWidth = name.length;
    }
    out.push(head);
    return writeValue(entry.value, indent, nameWidth, out);
  }
  if (after) out.push(at.next);
  if (entry.kind === "inherit") {
    if (entry.names.length === 0) throw unprintable("inherit needs at least one name");
    out.push("inherit");
    if (entry.from !== undefined) {
      out.push(" (");
      write(entry.from, indent, LOWEST, out);
      out.push(")");
    }
    for (const name of entry.names) out.push(" ", nixAttrName(name));
    return;
  }
  if (entry.comment !== undefined) out.push(commentLines(entry.comment, indent).slice(indent.length), at.newline);
  const name = printAttrPath(entry.path);
  out.push(name, " = ");
  writeValue(entry.value, indent, name.length, out);
}

/** A binding's value after its `name = `, the name `nameWidth` characters long. */
function writeValue(value: NixExpr, indent: string, nameWidth: number, out: Out): void {
  // A list stays on one line only if it fits there with the name in front of it and the `;`.
  if (value.kind === "list") writeList(value.items, indent, indent.length + nameWidth + 4, out);
  else write(value, indent, LOWEST, out);
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

// By ASCII code, what a literal string holds as it is: not a control character (newline and tab
// among them), DEL, `"`, `\` or `$`.
const PLAIN_CHARS = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) PLAIN_CHARS[c] = 1;
for (const ch of '"\\$') PLAIN_CHARS[ch.charCodeAt(0)] = 0;

/** Whether `text` needs neither a check nor an escape to stand between double quotes: no surrogate either. */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 ? PLAIN_CHARS[c] === 0 : c >= 0xd800 && c <= 0xdfff) return false;
  }
  return true;
}

/**
 * Nearly every string is one line of literal text with nothing to refuse or escape: one loop
 * tells, where the general path of `printString` searches it three times. Undefined for any
 * other string.
 */
function plainString(parts: readonly NixStringPart[]): string | undefined {
  const first = parts[0];
  return parts.length === 1 && typeof first === "string" && isPlain(first) ? `"${first}"` : undefined;
}

function printString(rawParts: readonly NixStringPart[], indent: string): string {
  const plain = plainString(rawParts);
  if (plain !== undefined) return plain;
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
      : `\${${text(part, indent, LOWEST)}}`,
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
  const inner = deeper(indent);
  const body = lines.map((line, n) => {
    if (line.length === 0) return n === lines.length - 1 ? indent : "";
    const pieces = line.map((part, i) =>
      typeof part === "string"
        ? escapeIndented(part, typeof line[i + 1] === "object")
        : `\${${text(part, inner, LOWEST)}}`,
    );
    return inner + pieces.join("");
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
