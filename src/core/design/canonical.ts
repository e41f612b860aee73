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
 * The value with every object's keys inserted in sorted order, or UNSORTABLE when an object has
 * a key whose place no insertion order decides (`"10"`), or `__proto__`, which an assignment
 * would not store as a key.
 */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const copy = sortedCopy(item);
      if (copy === UNSORTABLE) return UNSORTABLE;
      items.push(copy);
    }
    return items;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  sortInPlace(keys, compare);
  for (const key of keys) {
    if (integerLike(key) || key === "__proto__") return UNSORTABLE;
    const copy = sortedCopy((value as Record<string, unknown>)[key]);
    if (copy === UNSORTABLE) return UNSORTABLE;
    out[key] = copy;
  }
  return out;
}

/** `sha256-<hex>` of the canonical text: equal for designs that differ only in order. */
export const designHash = (design: Design): string => sha256Hex(canonicalJson(design));
