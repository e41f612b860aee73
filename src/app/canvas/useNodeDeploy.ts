import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { nodeDeployMap, type NodeDeploy } from "../derive/canvasState";

export type { NodeDeploy } from "../derive/canvasState";

const NONE: NodeDeploy = {};

/** A node's deploy colour and mark, from the one map all nodes share. */
export const useNodeDeploy = (nodeId: string): NodeDeploy => useAppStore(useShallow((s) => nodeDeployMap(s).get(nodeId) ?? NONE));
