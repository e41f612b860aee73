import { sha256Hex } from "../hash";
import { compare, sortInPlace } from "../order";
import type { Design } from "./types";

const byId = <T extends { readonly id: string }>(a: T, b: T): number => compare(a.id, b.id);

/** The same design whatever the order of its nodes, edges, notes and keys: each list by id. */
export function canonicalDesign(design: Design): Design {
  return { ...design, nodes: [...design.nodes].sort(byId), edges: [...design.edges].sort(byId), ...(design.notes ? { notes: [...design.notes].sort(byId) } : {}) };
}

/**
 * JSON with keys sorted by code unit at every level. JSON.stringify cannot do this: it puts
 * integer-like keys ("10", "9") first in numeric order, whatever order they were added in.
 */
function stableJson(value: unknown, indent = ""): string {
  const out: string[] = [];
  const nl = indent ? "\n" : "";
  const colon = indent ? ": " : ":";
  const write = (v: unknown, pad: string): void => {
    if (v === null || typeof v !== "object") {
      out.push(JSON.stringify(v) ?? "null");
      return;
    }
    const inner = pad + indent;
    const items = Array.isArray(v) ? v : Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    if (items.length === 0) {
      out.push(Array.isArray(v) ? "[]" : "{}");
      return;
    }
    out.push(Array.isArray(v) ? "[" : "{");
    items.forEach((item, i) => {
      out.push(i === 0 ? `${nl}${inner}` : `,${nl}${inner}`);
      if (Array.isArray(v)) write(item, inner);
      else {
        out.push(JSON.stringify(item), colon);
        write((v as Record<string, unknown>)[item as string], inner);
      }
    });
    out.push(`${nl}${pad}`, Array.isArray(v) ? "]" : "}");
  };
  write(value, "");
  return out.join("");
}

/**
 * The canonical text of a design: sorted, two-space indented, one final newline. It is also
 * the exported `alchemist.json`, so `sha256sum alchemist.json` shows the design's hash.
 */
export const canonicalJson = (design: Design): string => jsonOfCanonical(canonicalDesign(design));

/** `canonicalJson` of a design that `canonicalDesign` has ordered already: the compiler needs both, and sorting 5 000 nodes again took a millisecond. */
export function jsonOfCanonical(sorted: Design): string {
  const copy = sortedCopy(sorted);
  // The engine's own JSON.stringify is several times faster than stableJson, and writes keys
  // in insertion order whenever that order is not overruled (see sortedCopy).
  return `${copy === UNSORTABLE ? stableJson(sorted, "  ") : JSON.stringify(copy, null, 2)}\n`;
}

const UNSORTABLE = Symbol("keys JSON.stringify would not keep in insertion order");
// A superset of the array-index keys that objects always list first, in numeric order.
const DIGITS = /^[0-9]+$/;

/** Looks at the first character before running DIGITS: the canonical design has tens of thousands of keys, nearly none of them a number. */
function integerLike(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 && DIGITS.test(key);
}

/**
 * The value with every object's keys in sorted order, or UNSORTABLE when an object has a key
 * whose place no insertion order decides (`"10"`), or `__proto__`, which an assignment would
 * not store as a key. What is in order already is the value itself, not a copy: most of a
 * design's objects (positions, edges, most configs) are.
 */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const copy = sortedCopy(item);
      if (copy === UNSORTABLE) return UNSORTABLE;
      if (items === undefined && copy !== item) items = value.slice(0, i);
      items?.push(copy);
    }
    return items ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = compare(keys[i - 1]!, keys[i]!) < 0;
  if (!ordered) sortInPlace(keys, compare);
  let out: Record<string, unknown> | undefined = ordered ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (integerLike(key) || key === "__proto__") return UNSORTABLE;
    const item = record[key];
    const copy = sortedCopy(item);
    if (copy === UNSORTABLE) return UNSORTABLE;
    if (out === undefined && copy !== item) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = record[keys[j]!];
    }
    if (out !== undefined) out[key] = copy;
  }
  return out ?? value;
}

/** `sha256-<hex>` of the canonical text: equal for designs that differ only in order. */
export const designHash = (design: Design): string => sha256Hex(canonicalJson(design));
