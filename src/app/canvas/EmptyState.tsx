import { memo } from "react";
import { TemplateList } from "../templates/TemplateList";

/**
 * What a first visit sees: where designs start (a template) and where nodes come from (the
 * palette). Only the card takes the pointer, below the canvas toolbar: a design just emptied
 * must keep its Undo button within reach.
 */
export const EmptyState = memo(function EmptyState() {
  return (
    <section aria-label="Get started" className="pointer-events-none absolute inset-0 z-10 flex overflow-y-auto px-6 pt-14 pb-6">
      <div className="pointer-events-auto m-auto max-w-2xl rounded-xl border border-slate-200 bg-white/95 p-6 shadow-lg">
        <h2 className="text-lg font-semibold text-slate-800">Compose a CIM</h2>
        <p className="mt-1 text-sm text-slate-600">
          Start from a template below, or add nodes from the palette on the left (click, or drag them here) and connect them into a CIM instance. The Nix flake
          appears in the preview as you go.
        </p>
        <div className="mt-4">
          <TemplateList />
        </div>
      </div>
    </section>
  );
});
