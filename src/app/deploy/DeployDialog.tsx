import { useEffect, useId, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { DesignNode } from "../../core/design/types";
import { labelOf } from "../design/edit";
import { InstanceLabel } from "./InstanceLabel";
import { CONFIRM_MODES, DEFAULT_CONFIRM, DEPLOY_ACTIONS, MAX_CONFIRM_SECONDS, lastSucceeded, leafChoices, own, type ConfirmMode, type DeployAction } from "../../core/protocol";
import { currentDesign, useAppStore } from "../store";
import { Dialog } from "../ui/Dialog";
import { deployedDesign } from "../derive/canvasState";
import { time } from "../derive/format";
import { button, primary } from "./styles";
import type { DesignInstance } from "../derive/instances";
import { deployBlocker } from "../derive/readiness";
import { WaitNotice } from "./WaitingForLeaf";
import { instanceChanges } from "../derive/review";
import { diffFiles } from "../../core/compile/diff";
import { LOCK_FILE, deployFiles } from "../../core/compile/lock";
import { InputsReview } from "./InputsReview";
import { connected, useDeployRuntime } from "../hub/runtimeContext";
import { useNow } from "../ui/useNow";
import { messageOf } from "../../core/errors";
import { wholeNumber } from "../ui/text";
import { hubRevisionOf } from "../store/library";

const field = "mt-1 block w-full rounded border border-slate-300 px-2 py-1";

/** Choose leaf, action and confirmation; review what will change; send the deploy command. */
export function DeployDialog({ instance, onClose }: { instance: DesignInstance; onClose: () => void }) {
  const s = useAppStore(useShallow((s) => ({ hub: s.hub, deployLinked: s.deployLinked, nodes: s.nodes, edges: s.edges, notes: s.notes, designName: s.designName, analysis: s.analysis, leaves: s.leaves })));
  const now = useNow(2000);
  const { choices, sole } = leafChoices(s.leaves, instance, now);
  const [leafId, setLeafId] = useState(() => (sole ?? choices[0])?.leaf.leafId ?? "");
  const chosen = choices.find((c) => c.leaf.leafId === leafId);
  const [action, setAction] = useState<DeployAction>("switch");
  const [mode, setMode] = useState<ConfirmMode>(DEFAULT_CONFIRM.mode);
  // The field's text as typed (empty included); the number only when it is one.
  const [timeoutText, setTimeoutText] = useState(String(DEFAULT_CONFIRM.timeoutSeconds));
  const timeoutSeconds = wholeNumber(timeoutText) ?? Number.NaN;
  const [reviewing, setReviewing] = useState(false);
  const [updateInputs, setUpdateInputs] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const blocked = deployBlocker(s, instance, now) ?? (chosen ? null : "Choose a leaf");
  const timeoutOk = Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds <= MAX_CONFIRM_SECONDS;
  const ids = { leaf: useId(), timeout: useId(), reason: useId(), update: useId() };
  const runtime = useDeployRuntime();

  const send = async () => {
    setSending(true);
    setFailure(null);
    try {
      const { designHash } = s.analysis;
      // The dialog is blocked until the design compiles, and a compiled design has its hash.
      if (designHash === undefined) throw new Error("the design has not compiled yet");
      const files = deployFiles(s.analysis.files, useAppStore.getState().locks, instance.hostId);
      // Written first, so the revision read is the design as it is now (refreshDesigns saves it).
      useAppStore.getState().refreshDesigns();
      const design = hubRevisionOf(useAppStore.getState().designId);
      await connected(runtime).deploy({ leafId, instance: instance.hostId, action, files, designHash, confirm: { mode, timeoutSeconds }, updateInputs, ...(design ? { design } : {}) });
      onClose();
    } catch (e) {
      setFailure(`The deploy command was not sent to ${leafId}: ${messageOf(e)}`);
      setSending(false);
    }
  };

  return (
    <Dialog title={`Deploy ${instance.hostId}`} onClose={onClose} wide>
      <p className="-mt-1 mb-2 text-sm empty:hidden">
        <InstanceLabel hostId={instance.hostId} />
      </p>
      <div className="grid grid-cols-4 gap-3 text-sm">
        <div>
          <label htmlFor={ids.leaf}>Leaf</label>
          <select id={ids.leaf} className={field} value={leafId} onChange={(e) => setLeafId(e.target.value)}>
            {choices.length === 0 && <option value="">no leaf serves {instance.hostId}</option>}
            {choices.map((c) => (
              <option key={c.leaf.leafId} value={c.leaf.leafId}>
                {c.leaf.leafId} ({c.state})
              </option>
            ))}
          </select>
        </div>
        <Choice label="Action" options={DEPLOY_ACTIONS} value={action} onChange={setAction} />
        <Choice label="Confirmation" options={CONFIRM_MODES} value={mode} onChange={setMode} />
        <div>
          <label htmlFor={ids.timeout}>Confirmation timeout (seconds)</label>
          <input id={ids.timeout} type="text" inputMode="numeric" aria-invalid={!timeoutOk} className={field} value={timeoutText} onChange={(e) => setTimeoutText(e.target.value)} />
        </div>
      </div>
      <p className="mt-2 text-xs text-slate-500">
        {!timeoutOk
          ? null
          : mode === "auto"
            ? `After activation the leaf must reach the hub again within ${timeoutSeconds} s, or it rolls back.`
            : `After activation you must press Confirm within ${timeoutSeconds} s, or the leaf rolls back.`}
      </p>
      {chosen?.state === "offline" && <WaitNotice leafId={leafId} />}
      <label htmlFor={ids.update} className="mt-2 flex items-center gap-2 text-sm">
        <input id={ids.update} type="checkbox" checked={updateInputs} onChange={(e) => setUpdateInputs(e.target.checked)} />
        Update inputs <span className="text-xs text-slate-500">(lock nixpkgs and the other flake inputs afresh instead of the kept flake.lock)</span>
      </label>
      {!timeoutOk && <p role="alert" className="mt-1 text-xs text-red-700">The confirmation timeout must be a whole number of seconds from 1 to {MAX_CONFIRM_SECONDS}.</p>}
      <div className="mt-3 flex items-center gap-2">
        <button type="button" className={button} aria-pressed={reviewing} onClick={() => setReviewing(true)}>
          Review
        </button>
        <button type="button" className={primary} disabled={blocked !== null || !timeoutOk || sending} aria-describedby={blocked ? ids.reason : undefined} onClick={() => void send()}>
          Deploy
        </button>
        {blocked && (
          <span id={ids.reason} className="text-xs text-amber-700">
            {blocked}
          </span>
        )}
        {sending && <span className="text-xs text-slate-500">Sending…</span>}
      </div>
      {failure && (
        <p role="alert" className="mt-2 rounded border border-red-200 bg-red-50 p-2 text-sm text-red-900">
          {failure}
        </p>
      )}
      {reviewing && <Review instance={instance} updateInputs={updateInputs} />}
    </Dialog>
  );
}

/** A labelled select over a fixed list of values. */
function Choice<T extends string>({ label, options, value, onChange }: { label: string; options: readonly T[]; value: T; onChange: (v: T) => void }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} className={field} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </div>
  );
}

const LINE_TONE: Record<string, string> = { "+": "bg-emerald-50 text-emerald-900", "-": "bg-red-50 text-red-900", "@": "text-violet-700" };

/** The files that will be sent against the last successful deployment's, and the nodes that changed. */
function Review({ instance, updateInputs }: { instance: DesignInstance; updateInputs: boolean }) {
  const { compiled, locks, nodes, deployments, deployedFiles } = useAppStore(useShallow((s) => ({ compiled: s.analysis.files, locks: s.locks, nodes: s.nodes, deployments: s.deployments, deployedFiles: s.deployedFiles })));
  const files = deployFiles(compiled, locks, instance.hostId);
  const base = lastSucceeded(deployments, instance.hostId);
  const runtime = useDeployRuntime();
  useEffect(() => {
    if (base) runtime?.loadFiles(base);
  }, [runtime, base]);
  if (base && !Object.hasOwn(deployedFiles, base.deploymentId)) return <p className="mt-4 text-sm text-slate-500">Reading the files of {base.deploymentId} from cim_flakes…</p>;
  const before = base ? (own(deployedFiles, base.deploymentId) ?? null) : null;
  const deployed = deployedDesign(before);
  const changes = instanceChanges(deployed, currentDesign(useAppStore.getState()), instance);
  const { diffs, unchanged } = diffFiles(before ?? {}, files);
  const named = (list: readonly DesignNode[] | undefined) => (id: string) => {
    const node = list?.find((n) => n.id === id);
    return node ? `${id} (${[labelOf(node), node.label].filter(Boolean).join(", ")})` : id;
  };
  const now = named(nodes);
  const nodeLines = [...changes.added.map((id) => `added ${now(id)}`), ...changes.changed.map((id) => `changed ${now(id)}`), ...changes.removed.map((id) => `removed ${named(deployed?.nodes)(id)}`)];
  return (
    <section aria-label="Review" className="mt-4 space-y-3 border-t border-slate-100 pt-3 text-sm">
      <p>
        {!base
          ? `First deployment of ${instance.hostId}: everything is new.`
          : before === null
            ? `The files of ${base.deploymentId}, the last successful deployment of ${instance.hostId}, are no longer in cim_flakes: every file is shown as new.`
            : `Compared with ${base.deploymentId}, the last successful deployment of ${instance.hostId} (${base.action}, finished ${time(base.finishedAt)}).`}
      </p>
      <div>
        <h3 className="font-medium">Nodes</h3>
        {nodeLines.length === 0 ? (
          <p className="text-slate-500">No node of {instance.hostId} changed.</p>
        ) : (
          <ul aria-label="Changed nodes" className="list-inside list-disc">
            {nodeLines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        )}
      </div>
      <InputsReview instance={instance.hostId} sent={files[LOCK_FILE]} deployed={before} updateInputs={updateInputs} />
      <div>
        <h3 className="font-medium">
          Files <span className="font-normal text-slate-500">({diffs.length} differ, {unchanged} unchanged)</span>
        </h3>
        <ul aria-label="Changed files" className="space-y-2">
          {diffs.map((d) => (
            <li key={d.path} aria-label={`${d.path} ${d.status}`}>
              <details open={d.status === "changed"}>
                <summary className="cursor-pointer font-mono text-xs">
                  {d.path} <span className="text-slate-500">{d.status}</span>
                </summary>
                <pre aria-label={`Diff of ${d.path}`} className="mt-1 max-h-72 overflow-auto rounded border border-slate-200 text-[11px] leading-4">
                  {d.lines.map((line, i) => (
                    <div key={i} className={`px-2 ${LINE_TONE[line[0]!] ?? ""}`}>
                      {line}
                    </div>
                  ))}
                </pre>
              </details>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
