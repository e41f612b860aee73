import { memo, useId, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { historyOf, leafState } from "../../core/protocol";
import { useAppStore } from "../store";
import { DeployDialog } from "./DeployDialog";
import { HistoryDialog } from "./HistoryDialog";
import { LeavesPanel } from "./LeavesPanel";
import { TONE, button, primary } from "./format";
import type { DesignInstance } from "./instances";
import { deployBlocker } from "./readiness";
import { instancesOf } from "./runtime";
import { useNow } from "./useNow";

/** Under the header: the leaves, and per instance of the design its latest deployment, Deploy and History. */
export const DeployBar = memo(function DeployBar() {
  const instances = useAppStore(useShallow(instancesOf));
  const [leavesOpen, setLeavesOpen] = useState(false);
  const leaves = useAppStore((s) => s.leaves);
  const problem = useAppStore((s) => s.deployProblem);
  const now = useNow(5000);
  const online = Object.values(leaves).filter((l) => leafState(l, now) !== "offline").length;
  return (
    <section aria-label="Deploy" className="relative flex min-h-10 flex-wrap items-center gap-4 border-b border-slate-200 bg-white px-4 py-1 text-sm">
      <button type="button" className={button} aria-expanded={leavesOpen} onClick={() => setLeavesOpen((v) => !v)}>
        Leaves <span className="text-slate-500">({online} online)</span>
      </button>
      {leavesOpen && <LeavesPanel />}
      {instances.length === 0 ? <span className="text-slate-500">Add a CIM instance to deploy.</span> : instances.map((i) => <InstanceControls key={i.nodeId} instance={i} />)}
      {problem && (
        <span className="ml-auto max-w-md truncate text-xs text-amber-700" title={problem}>
          {problem}
        </span>
      )}
    </section>
  );
});

const InstanceControls = memo(function InstanceControls({ instance }: { instance: DesignInstance }) {
  const s = useAppStore(
    useShallow((s) => ({ hub: s.hub, deployLinked: s.deployLinked, nodes: s.nodes, edges: s.edges, analysis: s.analysis, leaves: s.leaves, openDeployment: s.openDeployment })),
  );
  const latest = useAppStore((s) => historyOf(s.deployments, instance.hostId)[0]);
  const now = useNow(2000);
  const blocked = deployBlocker(s, instance, now);
  const [dialog, setDialog] = useState<"deploy" | "history" | null>(null);
  const reasonId = useId();
  return (
    <div role="group" aria-label={`Instance ${instance.hostId}`} className="flex items-center gap-2">
      <span className="font-mono font-medium">{instance.hostId}</span>
      {latest && (
        <button type="button" className={`rounded px-1.5 py-0.5 text-xs ${TONE[latest.state]}`} onClick={() => s.openDeployment(latest.deploymentId)} aria-label={`Latest deployment: ${latest.state}`}>
          {latest.state}
        </button>
      )}
      <button type="button" className={primary} disabled={blocked !== null} aria-describedby={blocked ? reasonId : undefined} onClick={() => setDialog("deploy")}>
        Deploy
      </button>
      {blocked && (
        <span id={reasonId} className="text-xs text-amber-700">
          {blocked}
        </span>
      )}
      <button type="button" className={button} onClick={() => setDialog("history")}>
        History
      </button>
      {dialog === "deploy" && <DeployDialog instance={instance} onClose={() => setDialog(null)} />}
      {dialog === "history" && <HistoryDialog instance={instance} onClose={() => setDialog(null)} />}
    </div>
  );
});
