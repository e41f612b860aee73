import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { kindOf } from "../../../core/catalog/registry";
import { NodeFrame, Setting } from "./NodeFrame";
import type { FlowNode } from "./types";

const SHOWN = 3;

const brief = (v: unknown): string => (Array.isArray(v) ? `${v.length} item${v.length === 1 ? "" : "s"}` : typeof v === "object" && v !== null ? `${Object.keys(v).length} set` : String(v));

/** Shapes the host without running anything: shows the settings a person changed. */
export const SettingNode = memo(function SettingNode({ data, selected }: NodeProps<FlowNode>) {
  const fields = kindOf(data.node.kind)?.fields ?? {};
  const changed = Object.entries(data.node.config).filter(([key]) => fields[key]);
  return (
    <NodeFrame data={data} selected={selected} source>
      {changed.length === 0 ? <div className="text-slate-400">defaults</div> : null}
      {changed.slice(0, SHOWN).map(([key, value]) => (
        <Setting key={key} name={fields[key]!.label} value={brief(value)} />
      ))}
      {changed.length > SHOWN ? <div className="text-slate-400">+{changed.length - SHOWN} more</div> : null}
    </NodeFrame>
  );
});
