import type { InstanceView } from "./kind";

export interface UnitUse {
  readonly unit: string;
  readonly nodeId: string;
}

/** The systemd units the nodes of an instance run: what a health check looks at after activation. */
export function unitsOf(instance: InstanceView): UnitUse[] {
  return instance.members.flatMap((m) => (m.kind.units?.(m.config) ?? []).map((unit) => ({ unit, nodeId: m.node.id })));
}
