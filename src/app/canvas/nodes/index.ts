import type { NodeTypes } from "@xyflow/react";
import type { Role } from "../../../core/catalog/kind";
import { InstanceNode } from "./InstanceNode";
import { ServiceNode } from "./ServiceNode";
import { SettingNode } from "./SettingNode";

/** At module scope, so React Flow never sees a new registry and remounts every node. */
export const nodeTypes: NodeTypes & Record<Role, unknown> = {
  instance: InstanceNode,
  service: ServiceNode,
  setting: SettingNode,
};
