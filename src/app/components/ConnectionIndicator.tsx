import { memo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { checkHubUrl, HUB_URL_STORAGE_KEY } from "../hub/hubUrl";
import type { HubState } from "../hub/connection";
import { useDismiss } from "../ui/useDismiss";

const LOOK: Record<HubState, { label: string; dot: string }> = {
  connecting: { label: "Connecting", dot: "bg-amber-400 animate-pulse" },
  connected: { label: "Connected", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting", dot: "bg-amber-500 animate-pulse" },
  offline: { label: "Offline", dot: "bg-red-500" },
};

/** Shows the real state of the browser's connection to the hub, and lets the user point it elsewhere. */
export const ConnectionIndicator = memo(function ConnectionIndicator() {
  const { hub, hubUrl, setHubUrl } = useAppStore(useShallow((s) => ({ hub: s.hub, hubUrl: s.hubUrl, setHubUrl: s.setHubUrl })));
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const look = LOOK[hub.state];
  const popover = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useDismiss(popover, editing, (by) => {
    setEditing(false);
    // Escape hands the focus back to where the popover was opened from.
    if (by === "escape") toggle.current?.focus();
  });

  const save = () => {
    const checked = checkHubUrl(draft);
    if (!checked.ok) {
      setProblem(checked.message);
      return;
    }
    localStorage.setItem(HUB_URL_STORAGE_KEY, checked.url);
    setHubUrl(checked.url);
    setEditing(false);
  };

  return (
    <div ref={popover} className="relative flex items-center gap-2 text-sm">
      <div
        role="status"
        aria-label="Hub connection"
        aria-live="polite"
        data-state={hub.state}
        title={hub.detail ?? hub.url}
        className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1"
      >
        <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${look.dot}`} />
        <span className="font-medium">{look.label}</span>
        <span className="text-slate-500">{hub.url}</span>
      </div>
      <button
        ref={toggle}
        type="button"
        className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100"
        aria-expanded={editing}
        onClick={() => {
          setDraft(hubUrl);
          setProblem(null);
          setEditing((v) => !v);
        }}
      >
        Hub settings
      </button>
      {editing && (
        <form
          aria-label="Hub settings"
          className="absolute right-0 top-10 z-20 w-96 rounded-lg border border-slate-200 bg-white p-3 shadow-lg"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label className="block text-xs font-medium text-slate-600" htmlFor="hub-url">
            Hub WebSocket URL
          </label>
          <input
            id="hub-url"
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm"
            value={draft}
            aria-invalid={problem !== null}
            aria-describedby={problem ? "hub-url-problem" : undefined}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="ws://127.0.0.1:9222"
          />
          {problem && (
            <p id="hub-url-problem" role="alert" className="mt-1 text-xs text-red-600">
              {problem}
            </p>
          )}
          <div className="mt-2 flex justify-end gap-2">
            <button type="button" className="rounded px-2 py-1 hover:bg-slate-100" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="rounded bg-violet-600 px-3 py-1 text-white hover:bg-violet-700">
              Connect
            </button>
          </div>
        </form>
      )}
    </div>
  );
});
