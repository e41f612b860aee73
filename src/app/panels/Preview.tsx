import { memo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { hasErrors } from "../../core/validate/diagnostic";
import { LazyCodeEditor } from "../code/LazyCodeEditor";
import { useAppStore } from "../store";

const NOTHING: readonly number[] = [];

/** The flake the design compiles to: its files, each read-only with Nix highlighting; a selected node's lines are marked. */
export const Preview = memo(function Preview() {
  const { files, blocked, emitted, emittedBy, instances } = useAppStore(
    useShallow((s) => ({
      files: s.lastFiles,
      blocked: hasErrors(s.analysis.diagnostics),
      emitted: s.analysis.emitted,
      emittedBy: s.analysis.emittedBy,
      instances: s.nodes.some((n) => n.kind === "cim-instance"),
    })),
  );
  const [chosen, setChosen] = useState("flake.nix");
  const paths = Object.keys(files).sort();
  const touched = Object.keys(emitted).sort();
  // Selecting a node shows the first file it changes, until the person picks another.
  const [pickedFor, setPickedFor] = useState<string | null>(null);
  const path = emittedBy && pickedFor !== emittedBy && touched[0] ? touched[0] : paths.includes(chosen) ? chosen : paths[0];

  if (paths.length === 0) {
    return (
      <p className="p-3 text-sm text-slate-600">
        {blocked ? "The design has errors; fix them (see Problems) to see its flake." : instances ? "Nothing to show yet." : "Add a CIM instance and connect nodes to it: each instance becomes a host of the flake."}
      </p>
    );
  }
  return (
    <div className="flex h-full min-h-0">
      <nav aria-label="Flake files" className="w-64 shrink-0 overflow-y-auto border-r border-slate-100 py-1 text-xs">
        {blocked && <p className="mx-2 mb-1 rounded bg-amber-50 p-1.5 text-amber-800">Errors block a new flake: this is the last one that compiled.</p>}
        <ul>
          {paths.map((p) => (
            <li key={p}>
              <button
                type="button"
                aria-current={p === path ? "true" : undefined}
                onClick={() => {
                  setChosen(p);
                  setPickedFor(emittedBy);
                }}
                className={`flex w-full items-center gap-1 px-2 py-1 text-left font-mono ${p === path ? "bg-violet-100 text-violet-900" : "hover:bg-slate-50"}`}
                style={{ paddingLeft: `${0.5 + (p.split("/").length - 1) * 0.75}rem` }}
              >
                <span className="flex-1 truncate">{p.split("/").pop()}</span>
                {emitted[p] && <span aria-label={`changed by ${emittedBy}`} className="h-2 w-2 rounded-full bg-violet-500" />}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 flex-1 p-1">
        <LazyCodeEditor value={files[path!] ?? ""} label={`Preview of ${path}`} marked={emitted[path!] ?? NOTHING} />
      </div>
    </div>
  );
});
