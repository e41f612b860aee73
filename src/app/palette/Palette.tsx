import { memo, useMemo, useState, type DragEvent } from "react";
import { KINDS, PALETTE_GROUPS } from "../../core/catalog/registry";
import type { Kind } from "../../core/catalog/kind";
import { useNewNodeSpot } from "../canvas/placement";
import { useAppStore } from "../store";
import { GROUP_COLOR } from "./groups";

/** The drag payload a palette item carries onto the canvas. */
export const KIND_MIME = "application/x-alchemist-kind";

/** Whether a kind answers a lower-case search: by its name, id, group or help. */
export const kindMatches = (kind: Kind, query: string) => `${kind.label} ${kind.kind} ${kind.group} ${kind.help}`.toLowerCase().includes(query);

/**
 * Every catalog kind, grouped and searchable; click (or Enter on a search with one match) to
 * add beside the selected node or near the centre of the view, on a free spot; or drag.
 */
export const Palette = memo(function Palette() {
  const [query, setQuery] = useState("");
  // Where a node goes is worked out on click from the store and the canvas: subscribing to
  // the view or the nodes would render every button again at the end of each pan.
  const addNode = useAppStore((s) => s.addNode);
  const spot = useNewNodeSpot();
  const add = (kind: string) => addNode(kind, spot());
  const q = query.trim().toLowerCase();
  const groups = useMemo(
    () => PALETTE_GROUPS.map((group) => ({ group, kinds: KINDS.filter((k) => k.group === group && (!q || kindMatches(k, q))) })).filter((g) => g.kinds.length > 0),
    [q],
  );
  const only = groups.length === 1 && groups[0]!.kinds.length === 1 ? groups[0]!.kinds[0]! : undefined;

  const onDragStart = (event: DragEvent, kind: string) => {
    event.dataTransfer.setData(KIND_MIME, kind);
    event.dataTransfer.effectAllowed = "copy";
  };

  return (
    <aside aria-label="Palette" className="flex h-full w-full flex-col border-r border-slate-200 bg-white">
      <div className="border-b border-slate-100 p-2">
        <input
          type="search"
          aria-label="Search node kinds"
          placeholder="Search nodes…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== "Enter" || !only) return;
            e.preventDefault();
            add(only.kind);
          }}
          className="w-full rounded border border-slate-300 px-2 py-1 text-sm"
        />
      </div>
      <div className="flex-1 overflow-y-auto p-2">
        {groups.length === 0 && <p className="p-2 text-sm text-slate-500">No kind matches “{query}”.</p>}
        {groups.map(({ group, kinds }) => (
          <section key={group} aria-label={group} className="mb-3">
            <h3 className="mb-1 px-1 text-[11px] font-semibold uppercase tracking-wide text-slate-400">{group}</h3>
            <ul className="space-y-1">
              {kinds.map((kind) => (
                <li key={kind.kind}>
                  <button
                    type="button"
                    draggable
                    onDragStart={(e) => onDragStart(e, kind.kind)}
                    onClick={() => add(kind.kind)}
                    aria-label={`Add ${kind.label}`}
                    title={kind.help}
                    className={`w-full cursor-grab rounded border border-slate-200 px-2 py-1.5 text-left text-sm hover:border-violet-400 hover:shadow-sm ${GROUP_COLOR[kind.group]}`}
                  >
                    {kind.label}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </aside>
  );
});
