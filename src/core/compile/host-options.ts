import { isUnion, union, unionItems, type OptionTree, type OptionValue } from "../catalog/options";
import { printNix, type NixAttrEntry } from "../nix";
import { error, type Diagnostic } from "../validate/diagnostic";
import { isTree, moduleEntries, toNix, type SetReader } from "./values";

interface Leaf {
  readonly value: OptionValue;
  readonly nodeId: string;
}

// A set of options is a Map and a leaf a plain object, so one `instanceof` tells them apart.
type Level = Map<string, Slot>;
type Slot = Leaf | Level;

const isLevel = (slot: Slot): slot is Level => slot instanceof Map;

const SLOTS: SetReader<Slot> = {
  entries: (slot) => (isLevel(slot) ? [...slot] : undefined),
  value: (slot) => toNix((slot as Leaf).value),
};

/**
 * Merges the options every node of an instance contributes. Two nodes may add to the same
 * union list (systemd `after`/`wants`) or write the same value; anything else set twice is a
 * conflict, reported rather than resolved by an arbitrary winner.
 */
export class HostOptions {
  private readonly root: Level = new Map();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly hostId: string) {}

  add(tree: OptionTree, nodeId: string): void {
    this.addAt(this.root, tree, [], nodeId);
  }

  /** The host module's entries; only sets that hold a leaf exist, so none is empty. */
  entries(): NixAttrEntry[] {
    return moduleEntries([...this.root], SLOTS);
  }

  // `at` is the path of `tree`, grown and shrunk in place: a path is only copied for a message.
  private addAt(level: Level, tree: OptionTree, at: string[], nodeId: string): void {
    for (const name of Object.keys(tree)) {
      const value = tree[name];
      if (value === undefined) continue;
      at.push(name);
      const slot = level.get(name);
      if (isTree(value)) {
        if (slot === undefined) {
          const children: Level = new Map();
          this.addAt(children, value, at, nodeId);
          // An empty set adds no leaf, so it is left out of the module as it should be.
          if (children.size > 0) level.set(name, children);
        } else if (isLevel(slot)) this.addAt(slot, value, at, nodeId);
        else for (const path of leafPaths(value, at)) this.conflict(path, nodeId, slot.nodeId);
      } else if (slot === undefined) level.set(name, { value, nodeId });
      else if (!isLevel(slot)) level.set(name, this.merge(slot, { value, nodeId }, at));
      else this.conflict(at, nodeId, anyNodeIn(slot));
      at.pop();
    }
  }

  private merge(a: Leaf, b: Leaf, at: readonly string[]): Leaf {
    if (isUnion(a.value) && isUnion(b.value)) {
      return { value: union([...unionItems(a.value), ...unionItems(b.value)]), nodeId: a.nodeId };
    }
    if (printNix(toNix(a.value)) !== printNix(toNix(b.value))) this.conflict(at, b.nodeId, a.nodeId);
    return a;
  }

  private conflict(path: readonly string[], nodeId: string, otherNode: string): void {
    this.diagnostics.push(
      error("E_OPTION_CONFLICT", `nodes ${otherNode} and ${nodeId} both set ${path.join(".")} on instance ${this.hostId}; keep one of them`, { nodeId }),
    );
  }
}

/** The paths of the leaves under `tree` (at `at`), in the order a merge would meet them. */
function* leafPaths(tree: OptionTree, at: string[]): Generator<readonly string[]> {
  for (const name of Object.keys(tree)) {
    const value = tree[name];
    if (value === undefined) continue;
    at.push(name);
    if (isTree(value)) yield* leafPaths(value, at);
    else yield at;
    at.pop();
  }
}

function anyNodeIn(children: Level): string {
  for (const slot of children.values()) return isLevel(slot) ? anyNodeIn(slot) : slot.nodeId;
  return "?";
}
