import { expressionOf, isExpression, isUnion, unionItems, type OptionTree, type OptionValue } from "../catalog/options";
import { compare, sortInPlace } from "../order";
import { attrs, bind, bool, int, list, str, type NixAttrEntry, type NixExpr } from "../nix";

export const isTree = (v: OptionValue): v is OptionTree =>
  typeof v === "object" && !Array.isArray(v) && !isExpression(v) && !isUnion(v);

/**
 * How to read a nested set whose entries are of type `T`: `name` is an entry's attribute name,
 * `entries` lists what the entry's set defines (never anything undefined or empty) and is
 * undefined for a plain value, which `value` writes. Kinds' option trees and the compiler's
 * merged host options are read through this, so both are written with the same layout.
 */
export interface SetReader<T> {
  name(entry: T): string;
  entries(entry: T): readonly T[] | undefined;
  value(entry: T): NixExpr;
}

/** An option value as a Nix expression; nested sets are written with collapsed paths. */
export function toNix(value: OptionValue): NixExpr {
  if (typeof value === "string") return str(value);
  if (typeof value === "number") return int(value);
  if (typeof value === "boolean") return bool(value);
  if (Array.isArray(value)) return list(value.map(toNix));
  if (isExpression(value)) return expressionOf(value);
  if (isUnion(value)) {
    const items = [...new Set(unionItems(value))];
    sortInPlace(items, compare);
    return list(items.map(str));
  }
  return attrs(setEntries(present(value as OptionTree), TREES));
}

type TreeEntry = readonly [string, OptionValue];

const TREES: SetReader<TreeEntry> = {
  name: (e) => e[0],
  entries: (e) => (isTree(e[1]) ? present(e[1]) : undefined),
  value: (e) => toNix(e[1]),
};

/**
 * The entries of a module's body, grouped one level deeper as NixOS configurations usually
 * are: `services.nats = { … };` and `services.grafana = { … };` rather than one `services` set.
 */
export function moduleEntries<T>(body: readonly T[], read: SetReader<T>): NixAttrEntry[] {
  const out: NixAttrEntry[] = [];
  for (const entry of body) {
    const children = read.entries(entry);
    if (!children) out.push(collapsed([read.name(entry)], entry, read));
    else for (const inner of children) out.push(collapsed([read.name(entry), read.name(inner)], inner, read));
  }
  return out;
}

/**
 * Entries of a set, each following a chain of single-child sets into one path:
 * `{ settings = { leafnodes = { remotes = … }; }; }` is written `settings.leafnodes.remotes = …;`.
 */
function setEntries<T>(entries: readonly T[], read: SetReader<T>): NixAttrEntry[] {
  return entries.map((entry) => collapsed([read.name(entry)], entry, read));
}

function collapsed<T>(path: string[], entry: T, read: SetReader<T>): NixAttrEntry {
  let node = entry;
  let children = read.entries(node);
  while (children?.length === 1) {
    const inner = children[0]!;
    path.push(read.name(inner));
    node = inner;
    children = read.entries(node);
  }
  return bind(path, children ? attrs(setEntries(children, read)) : read.value(node));
}

// `for … in` over option trees, as in HostOptions.
function present(tree: OptionTree): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const name in tree) {
    const value = tree[name];
    if (value !== undefined && !isEmptyTree(value)) out.push([name, value]);
  }
  return out;
}

/** A set with nothing defined in it says nothing; it is left out rather than written `{ }`. */
function isEmptyTree(v: OptionValue): boolean {
  if (!isTree(v)) return false;
  for (const name in v) {
    const x = v[name];
    if (x !== undefined && !isEmptyTree(x)) return false;
  }
  return true;
}
