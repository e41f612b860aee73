import type { NodeTypes } from "@xyflow/react";
import { CardNode } from "./CardNode";

/** Every node is drawn as its kind's card. At module scope, so React Flow never sees a new registry and remounts every node. */
export const nodeTypes: NodeTypes = { card: CardNode };
