import { useEffect, useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { changedNodes } from "../../core/design/changes";
import { diffDesigns } from "../../core/design/merge";
import type { Design } from "../../core/design/types";
import { messageOf } from "../../core/errors";
import { lastSucceeded, own, type DeploymentSummary } from "../../core/protocol";
import type { DesignRevision } from "../../core/protocol/designRecord";
import { deployedDesign } from "../derive/canvasState";
import { time } from "../derive/format";
import { designInstances } from "../derive/instances";
import { button } from "../deploy/styles";
import { useDeployRuntime } from "../hub/runtimeContext";
import { useAppStore } from "../store";
import { Dialog } from "../ui/Dialog";
import { Differences } from "./Differences";
import { savedByText } from "./who";
import { useDesignStore } from "../hub/designStoreContext";

/** What a revision changed in nodes against the one before it. */
function changeLine(before: Design | null, after: Design): string {
  if (!before) return "first revision";
  const c = changedNodes(before, after);
  const parts = [c.added.length > 0 && `added ${c.added.join(", ")}`, c.changed.length > 0 && `changed ${c.changed.join(", ")}`, c.removed.length > 0 && `removed ${c.removed.join(", ")}`].filter(Boolean);
  return parts.length === 0 ? (before.name !== after.name ? `renamed “${after.name}”` : "no node changed (moved on the canvas)") : parts.join("; ");
}

/**
 * Every revision of a design the hub keeps (64 at most), newest first: who saved it, when and
 * what it changed in nodes; two compared side by side, one compared with what is deployed on
 * an instance, one restored (saved again as the newest revision, so nothing is lost by it).
 */
export function VersionsDialog({ designId, name, onClose, onRestored }: { designId: string; name: string; onClose: () => void; onRestored: () => void }) {
  const designs = useDesignStore();
  const { revisionNow, openId, openSavedDesign, replaceOpenDesign, deployments, deployedFiles } = useAppStore(
    useShallow((s) => ({
      revisionNow: s.designs.find((d) => d.id === designId)?.hub?.revision,
      openId: s.designId,
      openSavedDesign: s.openSavedDesign,
      replaceOpenDesign: s.replaceOpenDesign,
      deployments: s.deployments,
      deployedFiles: s.deployedFiles,
    })),
  );
  const [history, setHistory] = useState<DesignRevision[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [deployedOn, setDeployedOn] = useState("");
  useEffect(() => {
    if (!designs) return;
    let current = true;
    designs.history(designId).then(
      (h) => current && setHistory(h),
      (e: unknown) => current && setFailure(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [designs, designId, revisionNow]);

  const newestFirst = useMemo(() => [...(history ?? [])].reverse(), [history]);
  const byRevision = (n: number) => history?.find((r) => r.revision === n);
  const latest = newestFirst[0];
  // The revision compared with a deployment: the one picked, else the newest.
  const subject = (picked.length === 1 ? byRevision(picked[0]!) : undefined) ?? latest;
  const hosts = subject ? designInstances(subject.save.design.nodes, subject.save.design.edges).flatMap((i) => (lastSucceeded(deployments, i.hostId) ? [i.hostId] : [])) : [];
  const base = deployedOn ? lastSucceeded(deployments, deployedOn) : undefined;
  const runtime = useDeployRuntime();
  useEffect(() => {
    if (base) runtime?.loadFiles(base);
  }, [runtime, base]);

  const restore = (r: DesignRevision) => {
    if (designId !== openId) openSavedDesign(designId);
    replaceOpenDesign(r.save.design, `restored revision ${r.revision}`);
    onRestored();
  };
  const pick = (n: number, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== n), n].slice(-2) : p.filter((x) => x !== n)));

  const deploymentsOf = (revision: number): DeploymentSummary[] => Object.values(deployments).filter((d) => d.design?.id === designId && d.design.revision === revision);
  const compared = picked.length === 2 ? [...picked].sort((a, b) => a - b).map(byRevision) : [];
  return (
    <Dialog title={`Versions of ${name}`} onClose={onClose} wide="widest">
      {!designs ? (
        <p className="text-sm text-slate-500">Not connected to the hub: its versions are read from there.</p>
      ) : failure ? (
        <p role="alert" className="text-sm text-red-700">
          Cannot read the versions from the hub: {failure}
        </p>
      ) : !history ? (
        <p className="text-sm text-slate-500">Reading the versions from the hub…</p>
      ) : history.length === 0 ? (
        <p className="text-sm text-slate-500">The hub has no revision of this design yet.</p>
      ) : (
        <div className="space-y-4 text-sm">
          <table aria-label="Revisions" className="w-full table-fixed text-left text-xs">
            <thead>
              <tr className="text-slate-500">
                <th className="w-20 py-1 font-medium">Compare</th>
                <th className="w-20 py-1 font-medium">Revision</th>
                <th className="w-40 py-1 font-medium">Saved by</th>
                <th className="w-24 py-1 font-medium">When</th>
                <th className="py-1 font-medium">What changed</th>
                <th className="w-44 py-1 font-medium">Deployed as</th>
                <th className="w-36 py-1" />
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((r, i) => {
                const deployedAs = deploymentsOf(r.revision);
                return (
                  <tr key={r.revision} aria-label={`Revision ${r.revision}`} className="border-t border-slate-100 align-top">
                    <td className="py-1">
                      <input type="checkbox" aria-label={`Compare revision ${r.revision}`} checked={picked.includes(r.revision)} onChange={(e) => pick(r.revision, e.target.checked)} />
                    </td>
                    <td className="py-1 font-mono">{r.revision}</td>
                    <td className="break-all py-1" title={r.save.savedBy.key}>
                      {savedByText(r.save.savedBy)}
                      {r.signature === "bad" && <span className="ml-1 text-amber-700">(bad signature)</span>}
                    </td>
                    <td className="py-1">{time(r.save.savedAt)}</td>
                    <td className="py-1">
                      {changeLine(newestFirst[i + 1]?.save.design ?? null, r.save.design)}
                      {r.save.note && <span className="block text-slate-500">{r.save.note}</span>}
                    </td>
                    <td className="py-1 font-mono">
                      {deployedAs.length === 0
                        ? "—"
                        : deployedAs.map((d) => (
                            <span key={d.deploymentId} className="block break-all">
                              {d.instance}: {d.deploymentId} ({d.state})
                            </span>
                          ))}
                    </td>
                    <td className="py-1 text-right">
                      {r !== latest && (
                        <button type="button" className={button} aria-label={`Restore revision ${r.revision}`} onClick={() => restore(r)}>
                          Restore
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {compared.length === 2 && compared[0] && compared[1] ? (
            <section aria-label={`Revision ${compared[0].revision} against revision ${compared[1].revision}`}>
              <h3 className="mb-1 font-medium">
                Revision {compared[0].revision} against revision {compared[1].revision}
              </h3>
              <Differences differences={diffDesigns(compared[0].save.design, compared[1].save.design)} left={`Revision ${compared[0].revision}`} right={`Revision ${compared[1].revision}`} />
            </section>
          ) : (
            <p className="text-slate-500">Tick two revisions to compare them.</p>
          )}
          {subject && (
            <section aria-label="Compared with a deployment" className="space-y-1">
              <label className="block">
                Compare revision {subject.revision} with what is deployed on{" "}
                <select aria-label="Deployed instance" className="rounded border border-slate-300 px-1" value={deployedOn} onChange={(e) => setDeployedOn(e.target.value)}>
                  <option value="">choose an instance</option>
                  {hosts.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
              {hosts.length === 0 && <p className="text-slate-500">No instance of this revision has a successful deployment.</p>}
              {base && !Object.hasOwn(deployedFiles, base.deploymentId) && <p className="text-slate-500">Reading the files of {base.deploymentId} from cim_flakes…</p>}
              {base && Object.hasOwn(deployedFiles, base.deploymentId) && (
                <DeployedAgainst deployed={deployedDesign(own(deployedFiles, base.deploymentId) ?? null)} deploymentId={base.deploymentId} revision={subject} />
              )}
            </section>
          )}
        </div>
      )}
    </Dialog>
  );
}

function DeployedAgainst({ deployed, deploymentId, revision }: { deployed: Design | null; deploymentId: string; revision: DesignRevision }) {
  if (!deployed) return <p className="text-slate-500">The files of {deploymentId} are no longer in cim_flakes.</p>;
  return <Differences differences={diffDesigns(deployed, revision.save.design)} left={`Deployed (${deploymentId})`} right={`Revision ${revision.revision}`} />;
}
