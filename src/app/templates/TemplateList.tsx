import { memo } from "react";
import { useAppStore } from "../store";
import { TEMPLATES } from "./templates";
import { plural } from "../ui/text";

/** One button per template; starting one opens a new design in the list, the current one stays saved. */
export const TemplateList = memo(function TemplateList({ onStarted }: { onStarted?: () => void }) {
  const startDesign = useAppStore((s) => s.startDesign);
  return (
    <ul className="grid grid-cols-2 gap-3">
      {TEMPLATES.map(({ design, blurb }) => (
        <li key={design.name}>
          <button
            type="button"
            aria-label={`Start from ${design.name}`}
            onClick={() => {
              startDesign(design);
              onStarted?.();
            }}
            className="h-full w-full rounded-lg border border-slate-200 bg-white p-3 text-left hover:border-violet-400 hover:shadow"
          >
            <span className="block font-medium text-slate-800">{design.name}</span>
            <span className="mt-1 block text-xs text-slate-500">{blurb}</span>
            <span className="mt-2 block text-[11px] text-slate-400">
              {plural(design.nodes.length, "node")} · {plural(design.edges.length, "connection")}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
});
