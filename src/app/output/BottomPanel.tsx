import { memo } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import type { BottomTab } from "../store/state";
import { Preview } from "./Preview";
import { Problems } from "./Problems";
import { plural } from "../ui/text";

/** Problems and the live Nix preview, under the canvas. */
export const BottomPanel = memo(function BottomPanel() {
  const { tab, setTab, errors, warnings } = useAppStore(
    useShallow((s) => ({
      tab: s.bottomTab,
      setTab: s.setBottomTab,
      errors: s.analysis.diagnostics.filter((d) => d.severity === "error").length,
      warnings: s.analysis.diagnostics.filter((d) => d.severity === "warning").length,
    })),
  );
  const tabs: { id: BottomTab; label: string; extra?: string }[] = [
    { id: "problems", label: "Problems", extra: errors + warnings > 0 ? `${plural(errors, "error")}, ${plural(warnings, "warning")}` : undefined },
    { id: "preview", label: "Nix preview" },
  ];
  return (
    <section aria-label="Output" className="flex h-full flex-col border-t border-slate-200 bg-white">
      <div role="tablist" aria-label="Output" className="flex gap-1 border-b border-slate-100 px-2">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => setTab(t.id)}
            className={`border-b-2 px-3 py-1.5 text-sm ${tab === t.id ? "border-violet-600 font-medium text-violet-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {t.label}
            {t.extra && <span className={`ml-2 text-xs ${errors > 0 ? "text-red-600" : "text-amber-700"}`}>{t.extra}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="min-h-0 flex-1 overflow-auto">
        {tab === "problems" ? <Problems /> : <Preview />}
      </div>
    </section>
  );
});
