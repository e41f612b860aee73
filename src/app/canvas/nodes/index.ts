import type { NodeTypes } from "@xyflow/react";
import type { Role } from "../../../core/catalog/kind";
import { CardNode } from "./CardNode";

/** At module scope, so React Flow never sees a new registry and remounts every node. */
export const nodeTypes: NodeTypes & Record<Role, unknown> = {
  instance: CardNode,
  service: CardNode,
  setting: CardNode,
};
