import { kindOf } from "../../core/catalog/registry";
import type { DesignEdge, DesignNode } from "../../core/design/types";
import { ancestors } from "../../core/graph";

/** A CIM instance of the open design, as the deploy layer addresses it. */
export interface DesignInstance {
  nodeId: string;
  /** The host id (`config.id`): the instance named in commands and summaries. */
  hostId: string;
  /** The leaf executor the instance names (`config.leafId`), if any. */
  leafId?: string;
  /** The instance node and every node with a path to it. */
  members: string[];
}

export function designInstances(nodes: readonly DesignNode[], edges: readonly DesignEdge[]): DesignInstance[] {
  const ids = new Set(nodes.map((n) => n.id));
  return nodes
    .filter((n) => kindOf(n.kind)?.role === "instance" && typeof n.config.id === "string" && n.config.id !== "")
    .map((n) => ({
      nodeId: n.id,
      hostId: n.config.id as string,
      ...(typeof n.config.leafId === "string" && n.config.leafId ? { leafId: n.config.leafId } : {}),
      members: [n.id, ...[...ancestors(n.id, edges)].filter((id) => ids.has(id)).sort()],
    }))
    .sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0));
}
