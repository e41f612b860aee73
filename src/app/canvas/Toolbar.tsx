import { memo, useCallback, useEffect, useState } from "react";
import { Panel, useReactFlow } from "@xyflow/react";
import { useShallow } from "zustand/react/shallow";
import type { DesignEdge, DesignNode } from "../../core/design/types";
import { redo, undo, useAppStore, useHistory } from "../store";
import { Dialog } from "../ui/Dialog";
import { layeredLayout } from "./layout";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";
import { commandOf, SHORTCUTS, type Command } from "./shortcuts";
import { AddNoteButton } from "./notes/Notes";

const PASTE_OFFSET = { x: 40, y: 40 };

let clipboard: { nodes: readonly DesignNode[]; edges: readonly DesignEdge[] } | null = null;

const button = "rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-40";

/** Undo/redo, layout, fit and the shortcuts, as buttons over the canvas and as keys. */
export const Toolbar = memo(function Toolbar() {
  const { canUndo, canRedo } = useHistory();
  const { moveNodes, pasteNodes, select } = useAppStore(useShallow((s) => ({ moveNodes: s.moveNodes, pasteNodes: s.pasteNodes, select: s.select })));
  const flow = useReactFlow();
  const [help, setHelp] = useState(false);

  const layout = useCallback(async () => {
    const { nodes, edges } = useAppStore.getState();
    const boxes = nodes.map((n) => {
      const measured = flow.getInternalNode(n.id)?.measured;
      return { id: n.id, width: measured?.width ?? UNMEASURED_NODE_SIZE.width, height: measured?.height ?? UNMEASURED_NODE_SIZE.height };
    });
    moveNodes(await layeredLayout(boxes, edges));
    requestAnimationFrame(() => void flow.fitView({ duration: 300 }));
  }, [flow, moveNodes]);

  useEffect(() => {
    const run: Record<Command, () => void> = {
      undo,
      redo,
      copy: () => {
        const { nodes, edges, selection } = useAppStore.getState();
        const picked = new Set(selection.nodes);
        if (picked.size > 0) clipboard = { nodes: nodes.filter((n) => picked.has(n.id)), edges: edges.filter((e) => picked.has(e.source) && picked.has(e.target)) };
      },
      paste: () => {
        if (clipboard) pasteNodes(clipboard.nodes, clipboard.edges, PASTE_OFFSET);
      },
      selectAll: () => select({ nodes: useAppStore.getState().nodes.map((n) => n.id), edges: [] }),
      layout: () => void layout(),
      fit: () => void flow.fitView({ duration: 300 }),
      help: () => setHelp(true),
    };
    const onKey = (e: KeyboardEvent) => {
      const command = commandOf(e);
      if (!command) return;
      e.preventDefault();
      run[command]();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [flow, layout, pasteNodes, select]);

  return (
    <Panel position="top-left" className="flex gap-1">
      <button type="button" className={button} onClick={undo} disabled={!canUndo} title="Ctrl+Z">
        Undo
      </button>
      <button type="button" className={button} onClick={redo} disabled={!canRedo} title="Ctrl+Shift+Z">
        Redo
      </button>
      <button type="button" className={button} onClick={() => void layout()} title="L">
        Auto-layout
      </button>
      <AddNoteButton className={button} />
      <button type="button" className={button} onClick={() => setHelp(true)} title="?">
        Shortcuts
      </button>
      {help && (
        <Dialog title="Keyboard shortcuts" onClose={() => setHelp(false)}>
          <table className="w-full text-sm">
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.keys} className="border-b border-slate-100 last:border-0">
                  <th scope="row" className="py-1.5 pr-4 text-left font-mono text-xs font-medium whitespace-nowrap text-slate-700">
                    {s.keys}
                  </th>
                  <td className="py-1.5 text-slate-600">{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Dialog>
      )}
    </Panel>
  );
});
