import { err, fail, ok, type Result } from "../errors";
import { isRecord } from "../objects";
import { compare } from "../order";

/** The file a flake's pinned inputs live in, beside flake.nix. */
export const LOCK_FILE = "flake.lock";

/** One input of a flake.lock, as a person reads it: where it is pinned. */
export interface LockedInput {
  /** `nixpkgs`, or `alchemist/nixpkgs` for an input of an input. */
  readonly input: string;
  /** The commit for git and GitHub inputs, else the content hash (a path: input has no commit). */
  readonly revision: string;
}

/** A change of one input between two locks; `from` or `to` is null for an input added or removed. */
export interface InputChange {
  readonly input: string;
  readonly from: string | null;
  readonly to: string | null;
}

/** A revision short enough to read beside another: 12 digits of a commit, or the hash as Nix prints it. */
const revisionOf = (locked: Record<string, unknown>): string | null =>
  typeof locked.rev === "string" ? locked.rev.slice(0, 12) : typeof locked.narHash === "string" ? locked.narHash : null;

/** Types whose locked source must be the source they name: only the revision may be added. */
const SAME_SOURCE_TYPES = ["github", "gitlab", "sourcehut", "git", "path"];
const SOURCE_KEYS = ["owner", "repo", "host", "url", "path"];

/**
 * Why a node's pin is not of the source it names, or null. A lock is written by a leaf and
 * comes back through the hub: one whose `locked` fetches another repository than its
 * `original` would make the next deployment, signed by a person, build code nobody named.
 */
function foreignSource(node: Record<string, unknown>, locked: Record<string, unknown>): string | null {
  const original = node.original;
  if (!isRecord(original) || typeof original.type !== "string" || !SAME_SOURCE_TYPES.includes(original.type)) return null;
  if (locked.type !== original.type) return `is locked as ${JSON.stringify(locked.type)}, not ${JSON.stringify(original.type)}`;
  const key = SOURCE_KEYS.find((k) => original[k] !== undefined && locked[k] !== original[k]);
  return key === undefined ? null : `is locked to ${key} ${JSON.stringify(locked[key])}, not the ${JSON.stringify(original[key])} it names`;
}

/**
 * The pinned inputs of a flake.lock (version 7, what Nix 2.4 and later write), by their path
 * from the root. A `follows` (an input pinned as another one) is not an input of its own. Never
 * throws: a text that is not such a lock is an error that says what is wrong.
 */
export function lockedInputs(text: string): Result<readonly LockedInput[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail(err("E_LOCK_INVALID", `${LOCK_FILE} is not JSON`));
  }
  if (!isRecord(doc) || !isRecord(doc.nodes) || typeof doc.root !== "string" || typeof doc.version !== "number") {
    return fail(err("E_LOCK_INVALID", `${LOCK_FILE} is not a Nix lock file (an object with nodes, root and version)`));
  }
  const nodes = doc.nodes;
  const out: LockedInput[] = [];
  const seen = new Set<string>();
  const walk = (name: string, at: string): Result<null> => {
    // A lock is a graph: an input reached twice (or a cycle) is listed once.
    if (seen.has(name)) return ok(null);
    seen.add(name);
    const node = nodes[name];
    if (!Object.hasOwn(nodes, name) || !isRecord(node)) return fail(err("E_LOCK_INVALID", `${LOCK_FILE} names a node ${JSON.stringify(name)} it does not hold`));
    if (at !== "") {
      const revision = isRecord(node.locked) ? revisionOf(node.locked) : null;
      if (revision === null) return fail(err("E_LOCK_INVALID", `${LOCK_FILE}: input ${at} has no locked revision (locked.rev or locked.narHash)`));
      const foreign = foreignSource(node, node.locked as Record<string, unknown>);
      if (foreign) return fail(err("E_LOCK_INVALID", `${LOCK_FILE}: input ${at} ${foreign}`));
      out.push({ input: at, revision });
    }
    const inputs = node.inputs ?? {};
    if (!isRecord(inputs)) return fail(err("E_LOCK_INVALID", `${LOCK_FILE}: the inputs of ${at || "the root"} are not an object`));
    for (const [input, target] of Object.entries(inputs)) {
      if (typeof target !== "string") continue;
      const r = walk(target, at === "" ? input : `${at}/${input}`);
      if (!r.ok) return r;
    }
    return ok(null);
  };
  const r = walk(doc.root, "");
  return r.ok ? ok(out.sort((a, b) => compare(a.input, b.input))) : r;
}

/** What changed from one lock's inputs to another's, by input; the same pin is no change. */
export function inputChanges(before: readonly LockedInput[], after: readonly LockedInput[]): InputChange[] {
  const from = new Map(before.map((i) => [i.input, i.revision]));
  const to = new Map(after.map((i) => [i.input, i.revision]));
  return [...new Set([...from.keys(), ...to.keys()])]
    .sort(compare)
    .filter((input) => from.get(input) !== to.get(input))
    .map((input) => ({ input, from: from.get(input) ?? null, to: to.get(input) ?? null }));
}

/** `nixpkgs 1a2b3c4d5e6f → 6f5e4d3c2b1a`, `sops-nix added (…)`: one line per change. */
export function describeChange(c: InputChange): string {
  if (c.from === null) return `${c.input} added (${c.to})`;
  if (c.to === null) return `${c.input} removed (was ${c.from})`;
  return `${c.input} ${c.from} → ${c.to}`;
}

/**
 * The flake.lock of the exported flake: the one every instance with a lock was deployed with.
 * A flake has one lock; when instances' leaves pinned different revisions none of them stands
 * for the flake, and the export has no lock (each deployment still sends its instance's own).
 */
export function sharedLock(locks: Readonly<Record<string, string>> | undefined): string | undefined {
  const texts = new Set(Object.values(locks ?? {}));
  return texts.size === 1 ? [...texts][0] : undefined;
}

/** The files a deployment of `instance` sends: the compiled flake with that instance's own lock, or none so the leaf locks. */
export function deployFiles(files: Readonly<Record<string, string>>, locks: Readonly<Record<string, string>> | undefined, instance: string): Record<string, string> {
  const out = { ...files };
  delete out[LOCK_FILE];
  // An instance id can be a name every object has ("constructor"): only the design's own entries count.
  if (locks && Object.hasOwn(locks, instance)) out[LOCK_FILE] = locks[instance]!;
  return out;
}
