import { err, type AlchemistError } from "../errors";
import type { LeafRecord } from "./records";
import { leafPresence, type HeardLeaf, type LeafState } from "./presence";
import { own, servesInstance } from "./view";

export interface LeafChoice {
  leaf: LeafRecord;
  state: LeafState;
}

/** Which leaves may deploy an instance, and which one to take without asking. */
export interface LeafChoices {
  /** Every registered leaf that may take it, online ones first (then by id). */
  choices: LeafChoice[];
  /**
   * The leaf to take without asking: the one named, else the only online one. Undefined when a
   * person must choose (several online, or only offline ones and none named).
   */
  sole?: LeafChoice;
  /** Why no leaf can take it; null when `choices` has one. */
  problem: AlchemistError | null;
}

/**
 * The rule the deploy dialog and `alchemist deploy` share: the leaf `asked` for (a `--leaf`
 * flag), else the one the instance names (its `Leaf executor` field), else every registered
 * leaf that serves the instance. An offline leaf may be chosen: its command waits for it in
 * the work-queue stream. A leaf that never registered may not: no executor has its consumer, so
 * nothing would ever take the command.
 */
export function leafChoices(
  leaves: Readonly<Record<string, HeardLeaf>>,
  instance: { hostId: string; leafId?: string },
  nowMs: number,
  asked?: string,
): LeafChoices {
  const named = asked ?? instance.leafId;
  const choice = (leaf: HeardLeaf): LeafChoice => ({ leaf, state: leafPresence(leaf, nowMs) });
  if (named !== undefined) {
    const leaf = own(leaves, named);
    const whose = asked === undefined ? " (the instance's leaf executor)" : "";
    if (!leaf) return { choices: [], problem: err("E_LEAF_UNREGISTERED", `Leaf ${named}${whose} has never registered with the hub: start its executor first`) };
    if (!servesInstance(leaf, instance.hostId)) return { choices: [], problem: err("E_CMD_INSTANCE", `Leaf ${named} does not serve ${instance.hostId} (it serves ${leaf.instances.join(", ")})`) };
    const only = choice(leaf);
    return { choices: [only], sole: only, problem: null };
  }
  const choices = Object.values(leaves)
    .filter((leaf) => servesInstance(leaf, instance.hostId))
    .map(choice)
    .sort((a, b) => Number(a.state === "offline") - Number(b.state === "offline") || (a.leaf.leafId < b.leaf.leafId ? -1 : 1));
  if (choices.length === 0) {
    const none = Object.keys(leaves).length === 0 ? "No leaf has registered with the hub" : `No registered leaf serves ${instance.hostId}`;
    return { choices, problem: err("E_NO_LEAF", none) };
  }
  const online = choices.filter((c) => c.state !== "offline");
  return { choices, ...(online.length === 1 ? { sole: online[0] } : {}), problem: null };
}
