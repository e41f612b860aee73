import { checkConfig } from "../catalog/check-config";
import type { ConfigOf, Fields } from "../catalog/fields";
import type { HostFacts, Kind } from "../catalog/kind";
import { kindOf } from "../catalog/registry";
import { memberships } from "../graph";
import { compare } from "../order";
import type { DesignEdge, DesignNode } from "./types";

/**
 * The instances of a design and the nodes each is made of: the one reading of "an instance
 * and its members" that validation, the compiler, deploy readiness and the canvas share.
 */
export interface DesignInstance extends HostFacts {
  /** The instance node. */
  readonly nodeId: string;
  /**
   * The instance node and every node with a path to it, in topological order (ties by id),
   * without the instances among them: an instance is a whole host, never part of another.
   */
  readonly members: readonly string[];
  /** Instance nodes with a path to this one, which validation reports (E_INSTANCE_EDGE). */
  readonly nested: readonly string[];
}

/** A node's kind and its config with defaults filled in; undefined for an unknown kind. */
export type NodeReader = (node: DesignNode) => { readonly kind: Kind; readonly config: ConfigOf<Fields> } | undefined;

/** Reads a node through the catalog; a bad value reads as its default. */
export const readNode: NodeReader = (node) => {
  const kind = kindOf(node.kind);
  return kind && { kind, config: checkConfig(kind.fields, node.config).value };
};

/** An instance node, its host and its members: what `designInstances` makes one object of. */
export interface InstanceMembers {
  readonly nodeId: string;
  readonly host: HostFacts;
  /** As `DesignInstance.members`. */
  readonly members: readonly string[];
  readonly nested: readonly string[];
}

/**
 * Every instance node of a design, by host id then node id. `read` lets a caller that has
 * already checked every node's config reuse it. Edges to missing nodes are ignored, and a
 * cycle does not stop it (the editor may hold a design that validation refuses).
 */
export function instanceMembers(nodes: readonly DesignNode[], edges: readonly DesignEdge[], read: NodeReader = readNode): InstanceMembers[] {
  const hosts = new Map<string, HostFacts>();
  for (const node of nodes) {
    const r = kindOf(node.kind)?.role === "instance" ? read(node) : undefined;
    const host = r?.kind.host?.(r.config);
    if (host) hosts.set(node.id, host);
  }
  // memberships leaves out the edges to missing nodes.
  const sets = memberships(nodes.map((n) => n.id), edges, [...hosts.keys()]);
  const out: InstanceMembers[] = [];
  for (const [nodeId, host] of hosts) {
    const members: string[] = [];
    const nested: string[] = [];
    for (const id of sets.get(nodeId)!) {
      if (id !== nodeId && hosts.has(id)) nested.push(id);
      else members.push(id);
    }
    out.push({ nodeId, host, members, nested });
  }
  return out.sort((a, b) => compare(a.host.hostId, b.host.hostId) || compare(a.nodeId, b.nodeId));
}

/** `instanceMembers` with each instance's host facts and members in one object. */
export function designInstances(nodes: readonly DesignNode[], edges: readonly DesignEdge[], read: NodeReader = readNode): DesignInstance[] {
  // Not `{ ...host, nodeId, … }`: V8 (Node 20) builds an object literal that spreads and then
  // adds keys on a slow path, microseconds each (see `hardened`).
  return instanceMembers(nodes, edges, read).map(({ host, nodeId, members, nested }) => Object.assign({}, host, { nodeId, members, nested }));
}
