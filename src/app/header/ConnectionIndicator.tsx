import { memo, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import type { HubState, HubStatus } from "../store/state";
import { HubSettings } from "./HubSettings";
import { useDismiss } from "../ui/useDismiss";

const LOOK: Record<HubState, { label: string; dot: string }> = {
  connecting: { label: "Connecting", dot: "bg-amber-400 animate-pulse" },
  connected: { label: "Connected", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting", dot: "bg-amber-500 animate-pulse" },
  offline: { label: "Offline", dot: "bg-red-500" },
  unauthorized: { label: "Not logged in", dot: "bg-slate-400" },
};

const labelOf = (hub: HubStatus) => (hub.state === "unauthorized" && hub.loggedIn ? "Login refused" : LOOK[hub.state].label);

/** Shows the real state of the browser's connection to the hub and who it is logged in as; opens the hub settings. */
export const ConnectionIndicator = memo(function ConnectionIndicator() {
  const { hub, open, setOpen } = useAppStore(useShallow((s) => ({ hub: s.hub, open: s.hubSettingsOpen, setOpen: s.setHubSettingsOpen })));
  const popover = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useDismiss(popover, open, (by) => {
    setOpen(false);
    // Escape hands the focus back to where the popover was opened from.
    if (by === "escape") toggle.current?.focus();
  });
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
        <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${LOOK[hub.state].dot}`} />
        <span className="font-medium">{labelOf(hub)}</span>
        {hub.identity && hub.state !== "unauthorized" && <span className="text-slate-600">as {hub.identity}</span>}
        <span className="text-slate-500">{hub.url}</span>
      </div>
      <button ref={toggle} type="button" className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100" aria-expanded={open} onClick={() => setOpen(!open)}>
        Hub settings
      </button>
      {open && <HubSettings onDone={() => setOpen(false)} />}
    </div>
  );
});
