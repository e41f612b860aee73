import { sha256Hex } from "../hash";
import type { Design } from "./types";

const byId = <T extends { readonly id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The same design whatever the order of its nodes, edges and keys: nodes and edges by id. */
export function canonicalDesign(design: Design): Design {
  return { ...design, nodes: [...design.nodes].sort(byId), edges: [...design.edges].sort(byId) };
}

/**
 * JSON with keys sorted by code unit at every level. JSON.stringify cannot do this: it puts
 * integer-like keys ("10", "9") first in numeric order, whatever order they were added in.
 */
export function stableJson(value: unknown, indent = ""): string {
  const nl = indent ? "\n" : "";
  const write = (v: unknown, pad: string): string => {
    if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
    const inner = pad + indent;
    const sep = `,${nl}${inner}`;
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[${nl}${inner}${v.map((x) => write(x, inner)).join(sep)}${nl}${pad}]`;
    }
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    if (keys.length === 0) return "{}";
    const colon = indent ? ": " : ":";
    const body = keys.map((k) => `${JSON.stringify(k)}${colon}${write((v as Record<string, unknown>)[k], inner)}`);
    return `{${nl}${inner}${body.join(sep)}${nl}${pad}}`;
  };
  return write(value, "");
}

/** The canonical text of a design: compact, sorted. This is what `designHash` hashes. */
export const canonicalJson = (design: Design): string => stableJson(canonicalDesign(design));

/** `sha256-<hex>` of the canonical text: equal for designs that differ only in order. */
export const designHash = (design: Design): string => sha256Hex(canonicalJson(design));
