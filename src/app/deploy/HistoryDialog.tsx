import { useState } from "react";
import { historyOf } from "../../core/protocol";
import { useAppStore } from "../store";
import { HeaderRow } from "./HeaderRow";
import { Dialog } from "../ui/Dialog";
import { TONE, button, duration, time } from "./format";
import type { DesignInstance } from "./instances";
import { rollback } from "./runtime";
import { messageOf } from "../../core/errors";

/** The deployments of an instance from cim_deployments, newest first: open one (replays its events), or roll back to a success. */
export function HistoryDialog({ instance, onClose }: { instance: DesignInstance; onClose: () => void }) {
  const deployments = useAppStore((s) => s.deployments);
  const openDeployment = useAppStore((s) => s.openDeployment);
  const [problem, setProblem] = useState<string | null>(null);
  const history = historyOf(deployments, instance.hostId);
  const latest = history[0]?.deploymentId;
  const back = async (d: (typeof history)[number]) => {
    try {
      await rollback({ leafId: d.leafId, instance: d.instance, deploymentId: d.deploymentId });
      onClose();
    } catch (e) {
      setProblem(`The rollback to ${d.deploymentId} was not sent: ${messageOf(e)}`);
    }
  };
  return (
    <Dialog title={`History of ${instance.hostId}`} onClose={onClose} wide>
      {problem && (
        <p role="alert" className="mb-2 text-sm text-red-700">
          {problem}
        </p>
      )}
      {history.length === 0 ? (
        <p className="text-sm text-slate-500">{instance.hostId} has never been deployed.</p>
      ) : (
        <table className="w-full text-left text-xs">
          <HeaderRow columns={["Deployment", "State", "Action", "Leaf", "By", "Started", "Took", ""]} />
          <tbody>
            {history.map((d) => (
              <tr key={d.deploymentId} aria-label={`Deployment ${d.deploymentId}`} className="border-t border-slate-100">
                <td className="py-1 font-mono">
                  {d.deploymentId}
                  {d.rollbackOf && <div className="text-slate-500">rollback to {d.rollbackOf}</div>}
                  {d.error && <div className="text-red-700">{d.error.code}: {d.error.message}</div>}
                </td>
                <td>
                  <span className={`rounded px-1.5 py-0.5 ${TONE[d.state]}`}>{d.state}</span>
                </td>
                <td>{d.action}</td>
                <td className="font-mono">{d.leafId}</td>
                {/* Summaries written before commands were signed have no signer. */}
                <td title={d.signer?.key}>{d.signer?.name ?? "—"}</td>
                <td>{time(d.startedAt)}</td>
                <td>{d.startedAt && d.finishedAt ? duration(Date.parse(d.finishedAt) - Date.parse(d.startedAt)) : "—"}</td>
                <td className="space-x-1 whitespace-nowrap text-right">
                  <button
                    type="button"
                    className={button}
                    aria-label={`Open ${d.deploymentId}`}
                    onClick={() => {
                      openDeployment(d.deploymentId);
                      onClose();
                    }}
                  >
                    Open
                  </button>
                  {d.state === "succeeded" && d.deploymentId !== latest && (
                    <button type="button" className={button} aria-label={`Roll back to ${d.deploymentId}`} onClick={() => void back(d)}>
                      Roll back
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
