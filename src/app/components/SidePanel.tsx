import { memo } from "react";

export const SidePanel = memo(function SidePanel() {
  return (
    <aside aria-label="Side panel" className="w-80 shrink-0 overflow-y-auto border-l border-slate-200 bg-slate-50 p-4 text-sm text-slate-600">
      <h2 className="mb-2 font-medium text-slate-800">Inspector</h2>
      <p>Select a node on the canvas to inspect it.</p>
    </aside>
  );
});
