import { memo, useId, useState, type ReactNode } from "react";
import { useShallow } from "zustand/react/shallow";
import { historyOf, leafState } from "../../core/protocol";
import { useAppStore, type AppState } from "../store";
import { DeployDialog } from "./DeployDialog";
import { HistoryDialog } from "./HistoryDialog";
import { InstanceLabel } from "./InstanceLabel";
import { LeavesPanel } from "./LeavesPanel";
import { TONE, button, primary } from "./styles";
import { instancesOf, noInstanceReason, pickerChoices, type DesignInstance } from "../derive/instances";
import { deployBlocker } from "../derive/readiness";
import { useNow } from "../ui/useNow";
import { PanelBoundary } from "../ui/PanelBoundary";

/** The instance the selected node belongs to (its node id), if any. */
function selectedInstance(s: AppState): string | undefined {
  const id = s.selection.nodes[0];
  return id === undefined ? undefined : instancesOf(s).find((i) => i.members.includes(id))?.nodeId;
}

/**
 * Under the header, on one line however many instances the design has: the leaves, and the
 * instance in focus with its latest deployment, Deploy and History. In focus: the one picked,
 * until the selection moves to another instance; else the selected node's; else the first.
 */
export const DeployBar = memo(function DeployBar() {
  const instances = useAppStore(useShallow(instancesOf));
  const selected = useAppStore(selectedInstance);
  // A pick holds until the selection moves to another instance.
  const [picked, setPicked] = useState<{ nodeId: string; over: string | undefined }>();
  const [leavesOpen, setLeavesOpen] = useState(false);
  const now = useNow(5000);
  const online = useAppStore((s) => Object.values(s.leaves).filter((l) => leafState(l, now) !== "offline").length);
  const problem = useAppStore((s) => s.deployProblem);
  const focusId = picked && picked.over === selected ? picked.nodeId : selected;
  const focus = instances.find((i) => i.nodeId === focusId) ?? instances[0];
  const choices = pickerChoices(instances);
  // Only read when there is no instance to show, so an edit elsewhere does not render the bar.
  const missing = useAppStore((s) => (instances.length === 0 ? noInstanceReason(s.nodes) : null));
  return (
    <section aria-label="Deploy" className="relative flex h-10 shrink-0 items-center gap-4 whitespace-nowrap border-b border-slate-200 bg-white px-4 text-sm">
      <button type="button" className={button} aria-expanded={leavesOpen} onClick={() => setLeavesOpen((v) => !v)}>
        Leaves <span className="text-slate-500">({online} online)</span>
      </button>
      {leavesOpen && (
        <PanelBoundary name="Leaves" onClose={() => setLeavesOpen(false)} className="absolute left-2 top-full z-30 mt-1 w-[720px] rounded-lg border border-red-200 shadow-xl">
          <LeavesPanel />
        </PanelBoundary>
      )}
      {!focus ? (
        <span className="text-slate-500">{missing}</span>
      ) : (
        <InstanceControls key={focus.nodeId} instance={focus}>
          {choices.length === 1 ? (
            <span className="font-mono font-medium">{focus.hostId}</span>
          ) : (
            <select
              aria-label={`Instance in focus (${choices.length})`}
              className="max-w-48 rounded border border-slate-300 px-1 py-0.5 font-mono font-medium"
              // An instance sharing its id with an earlier one is shown as that id's entry.
              value={choices.find((c) => c.hostId === focus.hostId)!.nodeId}
              onChange={(e) => setPicked({ nodeId: e.target.value, over: selected })}
            >
              {choices.map((i) => (
                <option key={i.nodeId} value={i.nodeId}>
                  {i.hostId}
                </option>
              ))}
            </select>
          )}
          <InstanceLabel hostId={focus.hostId} />
        </InstanceControls>
      )}
      {problem && (
        <span className="ml-auto min-w-0 truncate text-xs text-amber-700" title={problem}>
          {problem}
        </span>
      )}
    </section>
  );
});

/** `children` names the instance: its host id, or the picker. */
function InstanceControls({ instance, children }: { instance: DesignInstance; children: ReactNode }) {
  const now = useNow(2000);
  // Strings and stored summaries: the design's edits render this again only when they change what it shows.
  const blocked = useAppStore((s) => deployBlocker(s, instance, now));
  const latest = useAppStore((s) => historyOf(s.deployments, instance.hostId)[0]);
  const openDeployment = useAppStore((s) => s.openDeployment);
  const [dialog, setDialog] = useState<"deploy" | "history" | null>(null);
  const reasonId = useId();
  return (
    <div role="group" aria-label={`Instance ${instance.hostId}`} className="flex min-w-0 items-center gap-2">
      {children}
      {latest && (
        <button type="button" className={`rounded px-1.5 py-0.5 text-xs ${TONE[latest.state]}`} onClick={() => openDeployment(latest.deploymentId)} aria-label={`Latest deployment: ${latest.state}`}>
          {latest.state}
        </button>
      )}
      <button type="button" className={primary} disabled={blocked !== null} aria-describedby={blocked ? reasonId : undefined} onClick={() => setDialog("deploy")}>
        Deploy
      </button>
      <button type="button" className={button} onClick={() => setDialog("history")}>
        History
      </button>
      {blocked && (
        <span id={reasonId} className="min-w-0 truncate text-xs text-amber-700" title={blocked}>
          {blocked}
        </span>
      )}
      {dialog === "deploy" && (
        <PanelBoundary name={`Deploy ${instance.hostId}`} onClose={() => setDialog(null)} dialog>
          <DeployDialog instance={instance} onClose={() => setDialog(null)} />
        </PanelBoundary>
      )}
      {dialog === "history" && (
        <PanelBoundary name={`History of ${instance.hostId}`} onClose={() => setDialog(null)} dialog>
          <HistoryDialog instance={instance} onClose={() => setDialog(null)} />
        </PanelBoundary>
      )}
    </div>
  );
}
