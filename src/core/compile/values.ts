import { expressionOf, isExpression, isUnion, unionItems, type OptionTree, type OptionValue } from "../catalog/options";
import { attrs, bind, bool, int, list, str, type NixAttrEntry, type NixExpr } from "../nix";

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const isTree = (v: OptionValue): v is OptionTree =>
  typeof v === "object" && !Array.isArray(v) && !isExpression(v) && !isUnion(v);

/** An option value as a Nix expression; nested sets are written with collapsed paths. */
export function toNix(value: OptionValue): NixExpr {
  if (typeof value === "string") return str(value);
  if (typeof value === "number") return int(value);
  if (typeof value === "boolean") return bool(value);
  if (Array.isArray(value)) return list(value.map(toNix));
  if (isExpression(value)) return expressionOf(value);
  if (isUnion(value)) return list([...new Set(unionItems(value))].sort(compare).map(str));
  return attrs(treeEntries(value as OptionTree));
}

/**
 * Entries of a set, each following a chain of single-child sets into one path:
 * `{ settings = { leafnodes = { remotes = … }; }; }` is written `settings.leafnodes.remotes = …;`.
 */
function treeEntries(tree: OptionTree): NixAttrEntry[] {
  return present(tree).map(([name, value]) => collapsed([name], value));
}

/**
 * The entries of a module's body, grouped one level deeper as NixOS configurations usually
 * are: `services.nats = { … };` and `services.grafana = { … };` rather than one `services` set.
 */
export function moduleEntries(tree: OptionTree): NixAttrEntry[] {
  return present(tree).flatMap(([name, value]) =>
    isTree(value) ? present(value).map(([child, inner]) => collapsed([name, child], inner)) : [collapsed([name], value)],
  );
}

function present(tree: OptionTree): [string, OptionValue][] {
  return Object.entries(tree).filter((e): e is [string, OptionValue] => e[1] !== undefined && !isEmptyTree(e[1]));
}

function collapsed(path: string[], value: OptionValue): NixAttrEntry {
  if (isTree(value)) {
    const children = present(value);
    if (children.length === 1) {
      const [name, inner] = children[0]!;
      return collapsed([...path, name], inner);
    }
  }
  return bind(path, toNix(value));
}

/** A set with nothing defined in it says nothing; it is left out rather than written `{ }`. */
function isEmptyTree(v: OptionValue): boolean {
  return isTree(v) && Object.values(v).every((x) => x === undefined || isEmptyTree(x));
}
