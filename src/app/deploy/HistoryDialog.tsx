import { useId, useState } from "react";
import { firstLine, historyOf, type DeploymentSummary, type DesignRef } from "../../core/protocol";
import type { AlchemistError } from "../../core/errors";
import { useAppStore } from "../store";
import { HeaderRow } from "./HeaderRow";
import { Dialog } from "../ui/Dialog";
import { duration, time } from "../derive/format";
import { TONE, button } from "./styles";
import type { DesignInstance } from "../derive/instances";
import { ConfirmRollback } from "./ConfirmRollback";
import { VersionsDialog } from "../designs/VersionsDialog";
import { InstanceLabel } from "./InstanceLabel";

// A fixed layout: a long error cannot widen the table past the dialog, so every column and
// the buttons at the end stay in view at 1280 wide; the Deployment column takes what is left.
const WIDTHS = ["auto", "7.5rem", "4.5rem", "6rem", "4.5rem", "5.5rem", "4rem", "9.5rem"];

/** The deployments of an instance from cim_deployments, newest first: open one (replays its events), or roll back to a success. */
export function HistoryDialog({ instance, onClose }: { instance: DesignInstance; onClose: () => void }) {
  const deployments = useAppStore((s) => s.deployments);
  const openDeployment = useAppStore((s) => s.openDeployment);
  const [asking, setAsking] = useState<DeploymentSummary | null>(null);
  const [versionsOf, setVersionsOf] = useState<DesignRef | null>(null);
  const designs = useAppStore((s) => s.designs);
  const history = historyOf(deployments, instance.hostId);
  const latest = history[0]?.deploymentId;
  return (
    <Dialog title={`History of ${instance.hostId}`} onClose={onClose} wide="widest">
      <p className="-mt-1 mb-2 text-sm empty:hidden">
        <InstanceLabel hostId={instance.hostId} />
      </p>
      {asking && <ConfirmRollback target={asking} onSent={onClose} onCancel={() => setAsking(null)} />}
      {versionsOf && (
        <VersionsDialog designId={versionsOf.id} name={designs.find((x) => x.id === versionsOf.id)?.name ?? versionsOf.id} onClose={() => setVersionsOf(null)} onRestored={onClose} />
      )}
      {history.length === 0 ? (
        <p className="text-sm text-slate-500">{instance.hostId} has never been deployed.</p>
      ) : (
        <table className="w-full table-fixed text-left text-xs">
          <colgroup>
            {WIDTHS.map((w, i) => (
              <col key={i} style={w === "auto" ? undefined : { width: w }} />
            ))}
          </colgroup>
          <HeaderRow columns={["Deployment", "State", "Action", "Leaf", "By", "Started", "Took", ""]} />
          <tbody>
            {history.map((d) => (
              <tr key={d.deploymentId} aria-label={`Deployment ${d.deploymentId}`} className="border-t border-slate-100 align-top">
                <td className="py-1 pr-2 font-mono">
                  <div className="break-all">{d.deploymentId}</div>
                  {d.rollbackOf && <div className="break-all text-slate-500">rollback to {d.rollbackOf}</div>}
                  {d.design && (
                    <div className="text-slate-500">
                      from design revision {d.design.revision}{" "}
                      <button type="button" className="underline hover:text-slate-700" aria-label={`Versions of the design of ${d.deploymentId}`} onClick={() => setVersionsOf(d.design!)}>
                        versions
                      </button>
                    </div>
                  )}
                  {d.error && <RowError deploymentId={d.deploymentId} error={d.error} />}
                </td>
                <td className="py-1">
                  <span className={`rounded px-1.5 py-0.5 ${TONE[d.state]}`}>{d.state}</span>
                </td>
                <td className="py-1">{d.action}</td>
                <td className="truncate py-1 font-mono" title={d.leafId}>
                  {d.leafId}
                </td>
                {/* Summaries written before commands were signed have no signer. */}
                <td className="truncate py-1" title={d.signer?.key}>
                  {d.signer?.name ?? "—"}
                </td>
                <td className="py-1">{time(d.startedAt)}</td>
                <td className="py-1">{d.startedAt && d.finishedAt ? duration(Date.parse(d.finishedAt) - Date.parse(d.startedAt)) : "—"}</td>
                <td className="space-x-1 whitespace-nowrap py-1 text-right">
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
                    <button type="button" className={button} aria-label={`Roll back to ${d.deploymentId}`} onClick={() => setAsking(d)}>
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

/** A deployment's error in its row: the first line, cut to the cell; the whole message (the leaf's log tail) on demand. */
function RowError({ deploymentId, error }: { deploymentId: string; error: AlchemistError }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const headline = `${error.code}: ${firstLine(error.message)}`;
  return (
    <div className="text-red-700">
      <div className="flex items-center gap-1">
        <span className="min-w-0 truncate" title={headline}>
          {headline}
        </span>
        <button type="button" className="shrink-0 rounded px-1 text-[11px] underline hover:bg-red-50" aria-expanded={open} aria-controls={id} aria-label="Show the full error" onClick={() => setOpen((v) => !v)}>
          {open ? "less" : "more"}
        </button>
      </div>
      {open && (
        <pre id={id} role="region" aria-label={`Error of ${deploymentId}`} className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-words rounded bg-red-50 p-1">
          {error.code}: {error.message}
        </pre>
      )}
    </div>
  );
}
