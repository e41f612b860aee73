import { memo, useEffect } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";

const INFO_MS = 5000;

/** Why something did not happen (or that it did), until dismissed; information fades by itself. */
export const Notice = memo(function Notice() {
  const { notice, setNotice } = useAppStore(useShallow((s) => ({ notice: s.notice, setNotice: s.setNotice })));
  useEffect(() => {
    if (notice?.tone !== "info") return;
    const t = setTimeout(() => setNotice(null), INFO_MS);
    return () => clearTimeout(t);
  }, [notice, setNotice]);
  if (!notice) return null;
  const error = notice.tone === "error";
  return (
    <div
      role={error ? "alert" : "status"}
      aria-label={notice.title}
      className={`fixed bottom-80 left-1/2 z-30 w-[520px] -translate-x-1/2 rounded-lg border p-3 text-sm shadow-lg ${error ? "border-red-200 bg-red-50 text-red-900" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
    >
      <div className="flex items-start gap-2">
        <div className="flex-1">
          <p className="font-semibold">{notice.title}</p>
          <ul className="mt-1 max-h-40 space-y-0.5 overflow-y-auto">
            {notice.lines.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </div>
        <button type="button" onClick={() => setNotice(null)} className="rounded px-1.5 hover:bg-black/5">
          Dismiss
        </button>
      </div>
    </div>
  );
});
