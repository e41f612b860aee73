import { checkConfig } from "./check-config";
import type { Kind, SummaryLine } from "./kind";
import { kindOf } from "./registry";
import type { DesignNode } from "../design/types";

const SHOWN = 3;

const brief = (v: unknown): string => (Array.isArray(v) ? `${v.length} item${v.length === 1 ? "" : "s"}` : typeof v === "object" && v !== null ? `${Object.keys(v).length} set` : String(v));

/** A service's ports: what a person checks first (and what clashes). */
function ports(kind: Kind, node: DesignNode): SummaryLine[] {
  const list = kind.ports?.(checkConfig(kind.fields, node.config).value) ?? [];
  return list.length === 0 ? [{ note: "no ports" }] : list.map((p) => ({ name: p.label, value: String(p.port) }));
}

/** The settings a person changed (the first three, then how many more). */
function changedSettings(kind: Kind, node: DesignNode): SummaryLine[] {
  const changed = Object.entries(node.config).filter(([key]) => kind.fields[key]);
  if (changed.length === 0) return [{ note: "defaults" }];
  const lines: SummaryLine[] = changed.slice(0, SHOWN).map(([key, value]) => ({ name: kind.fields[key]!.label, value: brief(value) }));
  return changed.length > SHOWN ? [...lines, { note: `+${changed.length - SHOWN} more` }] : lines;
}

/** The lines of a node's card: its kind's own summary, or what its role shows by default. */
export function cardSummary(node: DesignNode): readonly SummaryLine[] {
  const kind = kindOf(node.kind);
  if (!kind) return [];
  if (kind.summary) return kind.summary(checkConfig(kind.fields, node.config).value);
  return kind.role === "service" ? ports(kind, node) : changedSettings(kind, node);
}
