import { memo, useCallback, useEffect, useState } from "react";
import { Panel, useReactFlow } from "@xyflow/react";
import { redo, undo, useAppStore, useHistory } from "../store";
import { Dialog } from "../ui/Dialog";
import { layOut, whenPlaced } from "./layout";
import { commandOf, SHORTCUTS, type Command } from "./shortcuts";
import { AddNoteButton } from "./notes/Notes";
import { copySelection, paste } from "./clipboard";
import { drawnNodes } from "./instances/reveal";

const button = "rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-40";

interface Props {
  readonly onFind: () => void;
  /** Opens the context menu of what has the focus; false when the focus is on nothing of the canvas's. */
  readonly onMenu: () => boolean;
}

/** Undo/redo, layout, fit and the shortcuts, as buttons over the canvas and as keys. */
export const Toolbar = memo(function Toolbar({ onFind, onMenu }: Props) {
  const { canUndo, canRedo } = useHistory();
  const select = useAppStore((s) => s.select);
  const flow = useReactFlow();
  const [help, setHelp] = useState(false);

  const layout = useCallback(async () => {
    await whenPlaced(flow, await layOut(flow));
    void flow.fitView({ duration: 300 });
  }, [flow]);

  useEffect(() => {
    // A command answers false when the key is not its to take: the browser then does what it does.
    const run: Record<Command, () => void | boolean> = {
      undo,
      redo,
      copy: copySelection,
      paste: () => paste(),
      selectAll: () => select({ nodes: drawnNodes(), edges: [] }),
      layout: () => void layout(),
      fit: () => void flow.fitView({ duration: 300 }),
      help: () => setHelp(true),
      find: onFind,
      menu: onMenu,
    };
    const onKey = (e: KeyboardEvent) => {
      const command = commandOf(e);
      if (command && run[command]() !== false) e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [flow, layout, select, onFind, onMenu]);

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
