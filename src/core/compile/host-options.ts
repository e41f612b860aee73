import { isUnion, union, unionItems, type OptionTree, type OptionValue } from "../catalog/options";
import { printNix, type NixAttrEntry } from "../nix";
import { error, type Diagnostic } from "../validate/diagnostic";
import { isTree, moduleEntries, toNix, type SetReader } from "./values";

interface Leaf {
  readonly name: string;
  readonly value: OptionValue;
  readonly nodeId: string;
}

// Past this many entries a set finds a name through a Map rather than by a look at each.
const SEARCHED = 16;

// A set of options is a Level and a leaf a plain object, so one `instanceof` tells them apart.
// Each knows its name, so reading a set makes no [name, slot] pair per entry.
class Level {
  /** In the order they were first set, which is the order they are written in. */
  readonly slots: Slot[] = [];
  // Nearly every set holds a few names: a Map per set (a host module has hundreds), its
  // growth and a copy of its values to read it were half of what merging allocated, and a
  // look at each of a few names is as fast.
  private index: Map<string, number> | undefined;
  constructor(readonly name: string) {}

  /** Where the slot of `name` is, or -1. */
  find(name: string): number {
    if (this.index !== undefined) return this.index.get(name) ?? -1;
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) if (slots[i]!.name === name) return i;
    return -1;
  }

  push(slot: Slot): void {
    const slots = this.slots;
    slots.push(slot);
    if (this.index !== undefined) this.index.set(slot.name, slots.length - 1);
    else if (slots.length > SEARCHED) this.index = new Map(slots.map((s, i) => [s.name, i]));
  }
}

type Slot = Leaf | Level;

const isLevel = (slot: Slot): slot is Level => slot instanceof Level;

const SLOTS: SetReader<Slot> = {
  name: (slot) => slot.name,
  entries: (slot) => (isLevel(slot) ? slot.slots : undefined),
  value: (slot) => toNix((slot as Leaf).value),
};

/**
 * Merges the options every node of an instance contributes. Two nodes may add to the same
 * union list (systemd `after`/`wants`) or write the same value; anything else set twice is a
 * conflict, reported rather than resolved by an arbitrary winner.
 */
export class HostOptions {
  private readonly root = new Level("");
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly hostId: string) {}

  add(tree: OptionTree, nodeId: string): void {
    this.addAt(this.root, tree, [], nodeId);
  }

  /** The host module's entries; only sets that hold a leaf exist, so none is empty. */
  entries(): NixAttrEntry[] {
    return moduleEntries(this.root.slots, SLOTS);
  }

  // `at` is the path of `tree`, grown and shrunk in place: a path is only copied for a message.
  private addAt(level: Level, tree: OptionTree, at: string[], nodeId: string): void {
    // `for … in` rather than `Object.keys`: no array per tree, about twice as fast over the
    // small literals kinds emit (option trees are plain objects, nothing enumerable inherited).
    for (const name in tree) {
      const value = tree[name];
      if (value === undefined) continue;
      at.push(name);
      const i = level.find(name);
      const slot = i === -1 ? undefined : level.slots[i]!;
      if (isTree(value)) {
        if (slot === undefined) {
          const children = new Level(name);
          this.addAt(children, value, at, nodeId);
          // An empty set adds no leaf, so it is left out of the module as it should be.
          if (children.slots.length > 0) level.push(children);
        } else if (isLevel(slot)) this.addAt(slot, value, at, nodeId);
        else for (const path of leafPaths(value, at)) this.conflict(path, nodeId, slot.nodeId);
      } else if (slot === undefined) level.push({ name, value, nodeId });
      else if (!isLevel(slot)) level.slots[i] = this.merge(slot, { name, value, nodeId }, at);
      else this.conflict(at, nodeId, anyNodeIn(slot));
      at.pop();
    }
  }

  private merge(a: Leaf, b: Leaf, at: readonly string[]): Leaf {
    if (isUnion(a.value) && isUnion(b.value)) {
      return { name: a.name, value: union([...unionItems(a.value), ...unionItems(b.value)]), nodeId: a.nodeId };
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
  for (const name in tree) {
    const value = tree[name];
    if (value === undefined) continue;
    at.push(name);
    if (isTree(value)) yield* leafPaths(value, at);
    else yield at;
    at.pop();
  }
}

function anyNodeIn(children: Level): string {
  const slot = children.slots[0];
  if (slot === undefined) return "?";
  return isLevel(slot) ? anyNodeIn(slot) : slot.nodeId;
}
