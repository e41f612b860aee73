import { memo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { hasErrors } from "../../core/validate/diagnostic";
import { LazyCodeEditor } from "../code/LazyCodeEditor";
import { useAppStore } from "../store";
import { kindOf } from "../../core/catalog/registry";
import type { DesignNode } from "../../core/design/types";
import { nodeName } from "../../core/design/label";
import { InstanceLabel } from "../deploy/InstanceLabel";
import { hostFolder } from "../../core/compile/paths";

/** The node that `nodeId` names, as the person knows it (label and id). */
const nodeNameOf = (nodes: readonly DesignNode[], nodeId: string | null): string | null => {
  const node = nodeId === null ? undefined : nodes.find((n) => n.id === nodeId);
  return node ? nodeName(node) : nodeId;
};

const NOTHING: readonly number[] = [];

interface Folder {
  readonly path: string;
  readonly entries: Map<string, Folder | string>;
}

/** The flake's paths as folders and files, so `hosts/a/default.nix` and `hosts/b/default.nix` read apart. */
function folderTree(paths: readonly string[]): Folder {
  const root: Folder = { path: "", entries: new Map() };
  for (const p of paths) {
    const parts = p.split("/");
    let folder = root;
    parts.slice(0, -1).forEach((name, i) => {
      const existing = folder.entries.get(name);
      const next = typeof existing === "object" ? existing : { path: parts.slice(0, i + 1).join("/"), entries: new Map() };
      folder.entries.set(name, next);
      folder = next;
    });
    folder.entries.set(parts[parts.length - 1]!, p);
  }
  return root;
}

/** The flake the design compiles to: its files, each read-only with Nix highlighting; a selected node's lines are marked. */
export const Preview = memo(function Preview() {
  const { files, blocked, emitted, emittedBy, instances, changer } = useAppStore(
    useShallow((s) => ({
      files: s.lastFiles,
      blocked: hasErrors(s.analysis.diagnostics),
      emitted: s.analysis.emitted,
      emittedBy: s.analysis.emittedBy,
      instances: s.nodes.some((n) => kindOf(n.kind)?.role === "instance"),
      changer: nodeNameOf(s.nodes, s.analysis.emittedBy),
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
        {!instances ? "Add a CIM instance and connect nodes to it: each instance becomes a host of the flake." : blocked ? "The design has errors; fix them (see Problems) to see its flake." : "Nothing to show yet."}
      </p>
    );
  }
  return (
    <div className="flex h-full min-h-0">
      <nav aria-label="Flake files" className="w-64 shrink-0 overflow-y-auto border-r border-slate-100 py-1 text-xs">
        {blocked && <p className="mx-2 mb-1 rounded bg-amber-50 p-1.5 text-amber-800">Errors block a new flake: this is the last one that compiled.</p>}
        <Files
          folder={folderTree(paths)}
          depth={0}
          current={path}
          changed={(p) => (emitted[p] ? changer : null)}
          onPick={(p) => {
            setChosen(p);
            setPickedFor(emittedBy);
          }}
        />
      </nav>
      <div className="min-w-0 flex-1 p-1">
        <LazyCodeEditor value={files[path!] ?? ""} label={`Preview of ${path}`} marked={emitted[path!] ?? NOTHING} />
      </div>
    </div>
  );
});

/** One folder of the file tree: its name as a heading of the list of what it holds, named by its path. */
function Files({ folder, depth, current, changed, onPick }: { folder: Folder; depth: number; current: string | undefined; changed: (path: string) => string | null; onPick: (path: string) => void }) {
  const indent = { paddingLeft: `${0.5 + depth * 0.75}rem` };
  return (
    <ul aria-label={folder.path || undefined}>
      {[...folder.entries].map(([name, entry]) =>
        typeof entry === "object" ? (
          <li key={name}>
            <span className="flex gap-1 px-2 py-1 text-slate-500" style={indent}>
              <span className="shrink-0 whitespace-nowrap font-mono">{name}/</span>
              {entry.path === hostFolder(name) && <InstanceLabel hostId={name} />}
            </span>
            <Files folder={entry} depth={depth + 1} current={current} changed={changed} onPick={onPick} />
          </li>
        ) : (
          <li key={name}>
            <button
              type="button"
              title={entry}
              aria-current={entry === current ? "true" : undefined}
              onClick={() => onPick(entry)}
              className={`flex w-full items-center gap-1 px-2 py-1 text-left font-mono ${entry === current ? "bg-violet-100 text-violet-900" : "hover:bg-slate-50"}`}
              style={indent}
            >
              <span className="flex-1 truncate">{name}</span>
              {changed(entry) && <span aria-label={`changed by ${changed(entry)}`} className="h-2 w-2 rounded-full bg-violet-500" />}
            </button>
          </li>
        ),
      )}
    </ul>
  );
}
