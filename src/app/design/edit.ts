import { defaultOf } from "../../core/catalog/check-config";
import { matches } from "../../core/catalog/patterns";
import { edgeMeaningProblem } from "../../core/catalog/edges";
import { kindOf } from "../../core/catalog/registry";
import type { DesignEdge, DesignNode, DesignNote, Position } from "../../core/design/types";
import { findCycle } from "../../core/graph";
import { cleanLabel, cleanNoteText } from "../../core/design/label";

/**
 * Pure edits of a design's nodes and edges, shared by the store's actions and their tests.
 * Nothing here knows React, the store or the DOM.
 */

export const labelOf = (node: DesignNode): string => kindOf(node.kind)?.label ?? node.kind;

/** A node in a sentence: its kind, its label if it has one, and its id (`Redis cache (redis-1)`). */
export const describeNode = (node: DesignNode): string => `${labelOf(node)} ${node.label ? `${node.label} ` : ""}(${node.id})`;

/** A node card's accessible name: kind and id (`Redis redis-1`), then its label when it has one (`Redis redis-1, Cache`). */
export const cardName = (node: DesignNode): string => `${labelOf(node)} ${node.id}${node.label ? `, ${node.label}` : ""}`;

/** A readable id for a new node (`neo4j-2`), unique among `taken`. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * A new node of `kind`. Required names with no default (an instance id, a service name) start
 * as the node's own id when it fits their pattern, so a fresh node is valid at once.
 */
export function newNode(kind: string, position: Position, taken: ReadonlySet<string>): DesignNode {
  const id = freshId(kind, taken);
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(kindOf(kind)?.fields ?? {})) {
    if (spec.type === "string" && spec.required && spec.default === "" && (!spec.pattern || matches(spec.pattern, id))) config[key] = id;
  }
  return { id, kind, position, config };
}

/** An empty yellow note at `position`, with an id not in `taken`. */
export const newNote = (position: Position, taken: ReadonlySet<string>): DesignNote => ({ id: freshId("note", taken), text: "", color: "yellow", position });

/** The note with a change of the person's; typed text is cleaned of what a note cannot hold. */
export const withNoteChange = (note: DesignNote, change: Partial<Pick<DesignNote, "text" | "color" | "position">>): DesignNote => ({
  ...note,
  ...change,
  ...(change.text === undefined ? {} : { text: cleanNoteText(change.text) }),
});

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The config with one setting changed; a value equal to the catalog's default is dropped, as design files keep only what a person changed. */
export function withField(node: DesignNode, field: string, value: unknown): DesignNode {
  const spec = kindOf(node.kind)?.fields[field];
  const { [field]: _old, ...rest } = node.config;
  const config = value === undefined || (spec && sameValue(value, defaultOf(spec))) ? rest : { ...rest, [field]: value };
  return { ...node, config };
}

/** The node with the label typed, cleaned of what a label cannot hold; none when nothing is left but spaces. */
export function withLabel(node: DesignNode, typed: string): DesignNode {
  const { label: _old, ...rest } = node;
  const label = cleanLabel(typed);
  return label.trim() === "" ? rest : { ...rest, label };
}

export type ConnectResult = { readonly ok: true; readonly edge: DesignEdge } | { readonly ok: false; readonly reason: string };

/**
 * An edge `source → target` (the target builds on the source), or why the editor refuses it:
 * no end, a loop, out of an instance, twice, closing a cycle, or a target that does not build
 * on the source's kind (the catalog's `buildsOn`).
 */
export function proposeEdge(nodes: readonly DesignNode[], edges: readonly DesignEdge[], source: string, target: string): ConnectResult {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const from = byId.get(source);
  const to = byId.get(target);
  if (!from || !to) return { ok: false, reason: "Both ends of a connection must be nodes of this design." };
  if (source === target) return { ok: false, reason: `${describeNode(from)} cannot build on itself.` };
  if (kindOf(from.kind)?.role === "instance") {
    return { ok: false, reason: `${describeNode(from)} is a whole host: it cannot feed ${describeNode(to)}. Connect nodes into an instance, not out of it.` };
  }
  if (edges.some((e) => e.source === source && e.target === target)) return { ok: false, reason: `${describeNode(from)} already feeds ${describeNode(to)}.` };
  const edge: DesignEdge = { id: `${source}->${target}`, source, target };
  const cycle = findCycle(
    nodes.map((n) => n.id),
    [...edges, edge],
  );
  if (cycle) {
    const loop = [...cycle, cycle[0]!].join(" → ");
    return { ok: false, reason: `Connecting ${describeNode(from)} to ${describeNode(to)} would close a cycle: ${loop}.` };
  }
  const fromKind = kindOf(from.kind);
  const toKind = kindOf(to.kind);
  const meaningless = fromKind && toKind ? edgeMeaningProblem({ id: source, kind: fromKind }, { id: target, kind: toKind }) : null;
  if (meaningless) return { ok: false, reason: `${meaningless}.` };
  return { ok: true, edge };
}

/**
 * The next instance id after `id` that no instance has: its trailing number counted up with
 * its zeros kept (`cim-prod-002` after `cim-prod-001`), or `-1`, `-2` … added to a name without one.
 */
export function nextInstanceId(id: string, taken: ReadonlySet<string>): string {
  const numbered = /^(.*?)(\d+)$/.exec(id);
  if (!numbered) return freshId(id, taken);
  const stem = numbered[1]!;
  const digits = numbered[2]!;
  for (let n = Number(digits) + 1; ; n++) {
    const next = `${stem}${String(n).padStart(digits.length, "0")}`;
    if (!taken.has(next)) return next;
  }
}

/** An instance's own id, which no two instances may share, and its field; undefined for any other node. */
function instanceIdOf(node: DesignNode): { field: string; id: string } | undefined {
  const field = kindOf(node.kind)?.hostIdField;
  if (field === undefined) return undefined;
  const id = node.config[field];
  return typeof id === "string" ? { field, id } : undefined;
}

/**
 * Copies of `nodes` and the edges among them, with fresh ids, shifted by `offset`, to add to a
 * design of `existing` nodes. A copied instance gets an instance id of its own too: a copy
 * that kept its original's would stop the design compiling (E_DUPLICATE_INSTANCE).
 */
export function duplicate(
  nodes: readonly DesignNode[],
  edges: readonly DesignEdge[],
  existing: readonly DesignNode[],
  offset: Position,
): { nodes: DesignNode[]; edges: DesignEdge[] } {
  const used = new Set(existing.map((n) => n.id));
  const usedInstances = new Set(existing.flatMap((n) => instanceIdOf(n)?.id ?? []));
  const ids = new Map<string, string>();
  const copies = nodes.map((n) => {
    const id = freshId(n.kind, used);
    used.add(id);
    ids.set(n.id, id);
    const position = { x: n.position.x + offset.x, y: n.position.y + offset.y };
    const instance = instanceIdOf(n);
    if (instance === undefined) return { ...n, id, position };
    const own = nextInstanceId(instance.id, usedInstances);
    usedInstances.add(own);
    return { ...n, id, position, config: { ...n.config, [instance.field]: own } };
  });
  const copiedEdges = edges.flatMap((e) => {
    const source = ids.get(e.source);
    const target = ids.get(e.target);
    return source && target ? [{ id: `${source}->${target}`, source, target }] : [];
  });
  return { nodes: copies, edges: copiedEdges };
}
