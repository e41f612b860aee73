import { isUnion, union, unionItems, type OptionTree, type OptionValue } from "../catalog/options";
import { printNix } from "../nix";
import { error, type Diagnostic } from "../validate/diagnostic";
import { isTree, toNix } from "./values";

interface Leaf {
  readonly path: readonly string[];
  readonly value: OptionValue;
  readonly nodeId: string;
}

/**
 * Merges the options every node of an instance contributes. Two nodes may add to the same
 * union list (systemd `after`/`wants`) or write the same value; anything else set twice is a
 * conflict, reported rather than resolved by an arbitrary winner.
 */
export class HostOptions {
  private readonly root = new Map<string, Slot>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly hostId: string) {}

  add(tree: OptionTree, nodeId: string): void {
    for (const leaf of leaves(tree, [], nodeId)) this.insert(leaf);
  }

  private insert(leaf: Leaf): void {
    let level = this.root;
    leaf.path.forEach((name, i) => {
      const last = i === leaf.path.length - 1;
      const slot = level.get(name);
      if (last) {
        if (slot === undefined) level.set(name, { leaf });
        else if ("leaf" in slot) level.set(name, { leaf: this.merge(slot.leaf, leaf) });
        else this.conflict(leaf, `${anyNodeIn(slot.children)}`);
        return;
      }
      if (slot === undefined) {
        const children = new Map<string, Slot>();
        level.set(name, { children });
        level = children;
      } else if ("children" in slot) level = slot.children;
      else {
        this.conflict(leaf, slot.leaf.nodeId);
        level = new Map();
      }
    });
  }

  private merge(a: Leaf, b: Leaf): Leaf {
    if (isUnion(a.value) && isUnion(b.value)) {
      return { ...a, value: union([...unionItems(a.value), ...unionItems(b.value)]) };
    }
    if (printNix(toNix(a.value)) !== printNix(toNix(b.value))) this.conflict(b, a.nodeId);
    return a;
  }

  private conflict(leaf: Leaf, otherNode: string): void {
    this.diagnostics.push(
      error("E_OPTION_CONFLICT", `nodes ${otherNode} and ${leaf.nodeId} both set ${leaf.path.join(".")} on instance ${this.hostId}; keep one of them`, { nodeId: leaf.nodeId }),
    );
  }

  tree(): OptionTree {
    return toTree(this.root);
  }
}

type Slot = { readonly leaf: Leaf } | { readonly children: Map<string, Slot> };

function leaves(tree: OptionTree, at: string[], nodeId: string, out: Leaf[] = []): Leaf[] {
  for (const [name, value] of Object.entries(tree)) {
    if (value === undefined) continue;
    if (isTree(value)) {
      // An empty set adds no leaf, so it is left out of the module as it should be.
      at.push(name);
      leaves(value, at, nodeId, out);
      at.pop();
    } else out.push({ path: [...at, name], value, nodeId });
  }
  return out;
}

function anyNodeIn(children: Map<string, Slot>): string {
  for (const slot of children.values()) return "leaf" in slot ? slot.leaf.nodeId : anyNodeIn(slot.children);
  return "?";
}

// A set without a prototype: a person's key such as "__proto__" stays an ordinary key.
function toTree(level: Map<string, Slot>): OptionTree {
  const out: Record<string, OptionValue> = Object.create(null);
  for (const [name, slot] of level) out[name] = "leaf" in slot ? slot.leaf.value : toTree(slot.children);
  return out;
}
