import { useEffect, useMemo, useState } from "react";
import { useStoreApi, useUpdateNodeInternals, type Edge } from "@xyflow/react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { cardName } from "../design/edit";
import type { FlowNode } from "./nodes/types";
import { instancesOf } from "../derive/instances";
import { glance, glanceEdges } from "./instances/glance";
import { useCollapsed } from "./instances/collapsed";

type Counts = ReadonlyMap<string, { errors: number; warnings: number }>;

const NONE = { errors: 0, warnings: 0 };
const EDGE_PROBLEM_LABEL = { fill: "var(--color-red-600)", fontWeight: 700 };

/** One flow item per design item, each built knowing its previous version (same id), which it returns when nothing changed. */
function rebuilt<T extends { readonly id: string }, F extends { readonly id: string }>(previous: readonly F[], items: readonly T[], build: (item: T, old: F | undefined) => F): F[] {
  const byId = new Map(previous.map((f) => [f.id, f]));
  return items.map((item) => build(item, byId.get(item.id)));
}

/**
 * The store's design as React Flow nodes and edges, held in local state so React Flow's own
 * changes (measured sizes, positions mid-drag) apply without touching the design. A design
 * change rebuilds only the nodes it touched, so React Flow re-renders only those.
 */
export function useFlowGraph() {
  const { nodes, edges, selection, diagnostics, instances, designId } = useAppStore(
    useShallow((s) => ({ nodes: s.nodes, edges: s.edges, selection: s.selection, diagnostics: s.analysis.diagnostics, instances: instancesOf(s), designId: s.designId })),
  );
  const collapsed = useCollapsed(designId);
  const look = useMemo(() => glance(nodes.map((n) => n.id), instances, selection.nodes, collapsed), [nodes, instances, selection.nodes, collapsed]);
  // An edge's problems (a meaningless edge) draw it as a problem and name it in its label.
  const edgeProblems = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const d of diagnostics) if (d.edgeId) m.set(d.edgeId, [...(m.get(d.edgeId) ?? []), d.message]);
    return m;
  }, [diagnostics]);
  const counts: Counts = useMemo(() => {
    const m = new Map<string, { errors: number; warnings: number }>();
    for (const d of diagnostics) {
      if (!d.nodeId) continue;
      const c = m.get(d.nodeId) ?? { errors: 0, warnings: 0 };
      m.set(d.nodeId, d.severity === "error" ? { ...c, errors: c.errors + 1 } : { ...c, warnings: c.warnings + 1 });
    }
    return m;
  }, [diagnostics]);

  const [flowNodes, setFlowNodes] = useState<FlowNode[]>([]);
  const [flowEdges, setFlowEdges] = useState<Edge[]>([]);

  useEffect(() => {
    const selected = new Set(selection.nodes);
    const shown = look.hidden.size === 0 ? nodes : nodes.filter((n) => !look.hidden.has(n.id));
    setFlowNodes((previous) =>
      rebuilt(previous, shown, (node, old): FlowNode => {
        const { errors, warnings } = counts.get(node.id) ?? NONE;
        const isSelected = selected.has(node.id);
        const dimmed = look.dimmed.has(node.id);
        const hiddenMembers = look.hiddenCount.get(node.id);
        if (
          old && old.data.node === node && old.selected === isSelected && old.data.errors === errors && old.data.warnings === warnings &&
          old.data.dimmed === dimmed && old.data.hiddenMembers === hiddenMembers
        ) return old;
        return {
          id: node.id,
          type: "card",
          // The node's name for assistive technology, where the keyboard focus lands.
          ariaLabel: cardName(node),
          position: node.position,
          data: { node, errors, warnings, dimmed, hiddenMembers },
          selected: isSelected,
          ...(old?.measured ? { measured: old.measured } : {}),
        };
      }),
    );
  }, [nodes, selection.nodes, counts, look]);

  useEffect(() => {
    const selected = new Set(selection.edges);
    setFlowEdges((previous) =>
      rebuilt(previous, glanceEdges(edges, look), (edge, old): Edge => {
        const isSelected = selected.has(edge.id);
        const problems = edgeProblems.get(edge.id);
        const ariaLabel = `Edge from ${edge.source} to ${edge.target}${problems ? `: ${problems.join("; ")}` : ""}`;
        // An edge leaving the selected instance's members is dimmed with the node it joins.
        const className = [problems ? "edge-problem" : "", look.dimmed.has(edge.source) || look.dimmed.has(edge.target) ? "edge-dimmed" : ""].join(" ").trim() || undefined;
        if (old && old.source === edge.source && old.target === edge.target && old.selected === isSelected && old.ariaLabel === ariaLabel && old.className === className) return old;
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          selected: isSelected,
          ariaLabel,
          ...(className ? { className } : {}),
          ...(problems ? { label: "!", labelStyle: EDGE_PROBLEM_LABEL } : {}),
        };
      }),
    );
  }, [edges, selection.edges, edgeProblems, look]);

  // React Flow drops a node's handle positions when it is handed the node without a measured
  // size, and measures them again only when the node's size changes. A node rebuilt (its problem
  // count arrived) between React Flow's measurement and that measurement reaching our state
  // keeps its size but loses its handles for good, and its edges are never drawn.
  const flowStore = useStoreApi<FlowNode, Edge>();
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => {
    const { nodeLookup } = flowStore.getState();
    const lost = flowNodes.filter((n) => {
      const internal = nodeLookup.get(n.id);
      return internal?.measured.width !== undefined && !internal.internals.handleBounds;
    });
    if (lost.length > 0) updateNodeInternals(lost.map((n) => n.id));
  }, [flowNodes, flowStore, updateNodeInternals]);

  return { flowNodes, setFlowNodes, flowEdges, setFlowEdges };
}
