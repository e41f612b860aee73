import { memo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { STEPS, deploymentKey, failureOf, isOver, lastSucceeded, own, type DeploymentView as View, type StepName } from "../../core/protocol";
import { useAppStore } from "../store";
import { duration, elapsedMs, secondsLeft, time } from "../derive/format";
import { TONE, button, primary } from "./styles";
import { LogViewer } from "./LogViewer";
import { connected, useDeployRuntime, useLogs } from "../hub/runtimeContext";
import { ConfirmRollback } from "./ConfirmRollback";
import { useNow } from "../ui/useNow";
import { PanelBoundary } from "../ui/PanelBoundary";
import { messageOf } from "../../core/errors";
import { WaitingForLeaf } from "./WaitingForLeaf";
import { InstanceLabel } from "./InstanceLabel";

/** The open deployment, live or replayed: both are the fold of its events and look the same. */
export const DeploymentPanel = memo(function DeploymentPanel() {
  const { id, view, hub, openDeployment } = useAppStore(
    useShallow((s) => ({ id: s.openDeploymentId, view: s.openDeploymentId ? own(s.views, s.openDeploymentId) : undefined, hub: s.hub.state, openDeployment: s.openDeployment })),
  );
  if (!id) return null;
  return (
    <section aria-label="Deployment" className="absolute inset-y-0 right-0 z-20 flex w-[760px] max-w-full flex-col border-l border-slate-200 bg-white shadow-2xl">
      <div className="flex items-center gap-3 border-b border-slate-100 px-4 py-2">
        <h2 className="font-semibold">Deployment</h2>
        <span className="truncate font-mono text-xs text-slate-500">{id}</span>
        <button type="button" className="ml-auto rounded px-2 py-1 text-slate-500 hover:bg-slate-100" aria-label="Close deployment" onClick={() => openDeployment(null)}>
          ✕
        </button>
      </div>
      {hub !== "connected" && (
        <p role="status" aria-label="Event stream" className="border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-900">
          Connection to the hub lost ({hub}): showing the events up to #{view?.lastSeq ?? 0}. They resume from there when the hub is back.
        </p>
      )}
      {view ? (
        <PanelBoundary key={id} name={`Deployment ${id}`} onClose={() => openDeployment(null)} className="min-h-0 flex-1">
          <Body view={view} />
        </PanelBoundary>
      ) : (
        <p className="p-4 text-sm text-slate-500">Waiting for the hub…</p>
      )}
    </section>
  );
});

function Body({ view }: { view: View }) {
  const finished = isOver(view);
  const now = useNow(1000, !finished);
  const failure = failureOf(view);
  // A summary is written once the leaf has taken the command: without one and without events, it still waits.
  const taken = useAppStore((s) => view.leafId !== undefined && own(s.deployments, deploymentKey(view.leafId, view.deploymentId)) !== undefined);
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 px-4 py-3 text-sm">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <span role="status" aria-label="Deployment state" className={`rounded px-2 py-0.5 font-medium ${TONE[view.status]}`}>
          {view.status}
          {view.rolledBack ? " (rolled back)" : ""}
        </span>
        <span>
          {view.action ?? "…"} of <span className="font-mono">{view.instance ?? "…"}</span>
          <InstanceLabel hostId={view.instance} /> on <span className="font-mono">{view.leafId ?? "…"}</span>
        </span>
        <span className="text-slate-500">
          started {time(view.startedAt)}
          {view.finishedAt && view.startedAt ? `, took ${duration(Date.parse(view.finishedAt) - Date.parse(view.startedAt))}` : ""}
        </span>
        <span className="text-slate-500">events 1–{view.lastSeq}</span>
      </div>
      {view.gapAt !== undefined && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-2 text-amber-900">
          Events from #{view.gapAt} were missing when a later one arrived: this view may be incomplete.
        </p>
      )}
      {view.status === "pending" && view.leafId && !taken && <WaitingForLeaf leafId={view.leafId} />}
      {view.queuedBehind && view.status === "queued" && <p>Queued behind {view.queuedBehind}: it starts when that one ends.</p>}
      {failure && (
        <div role="alert" aria-label="Error summary" className="rounded border border-red-200 bg-red-50 p-2 text-red-900">
          {/* The headline is the message's first line: the log tail it quoted is shown once, below. */}
          <p className="font-semibold">
            {failure.error.code}: {failure.headline}
          </p>
          {failure.step && (
            <p>
              Step {failure.step} failed{failure.reason ? `: ${failure.reason}` : ""}.
            </p>
          )}
          {failure.rolledBack && <p>Rolled back: {failure.rolledBack}</p>}
          <LastLines deploymentId={view.deploymentId} step={failure.step} lines={view.logLines} fallback={failure.detail} />
        </div>
      )}
      <Controls view={view} now={now} />
      <Steps view={view} now={now} />
      <details>
        <summary className="cursor-pointer text-slate-600">Events ({view.timeline.length} milestones)</summary>
        <ol aria-label="Events" className="mt-1 max-h-40 overflow-auto font-mono text-xs">
          {view.timeline.map((t) => (
            <li key={t.seq}>
              #{t.seq} {t.text}
            </li>
          ))}
        </ol>
      </details>
      <LogViewer deploymentId={view.deploymentId} lines={view.logLines} />
    </div>
  );
}

/**
 * The failing step's last stderr lines: usually the compiler's or the builder's own words.
 * Without any (a step that logged nothing), the rest of the error message stands in for them.
 */
function LastLines({ deploymentId, step, lines, fallback }: { deploymentId: string; step: StepName | undefined; lines: number; fallback: string | undefined }) {
  const buffer = useLogs(deploymentId);
  const last: string[] = [];
  if (step) for (let i = Math.min(lines, buffer.length) - 1; i >= 0 && last.length < 5; i--) if (buffer.stepOf(i) === step && buffer.streamOf(i) === "stderr") last.unshift(buffer.text[i]!);
  const text = last.length > 0 ? last.join("\n") : fallback;
  return text ? <pre className="mt-1 overflow-auto whitespace-pre-wrap break-words text-xs">{text}</pre> : null;
}

function Controls({ view, now }: { view: View; now: number }) {
  const deployments = useAppStore((s) => s.deployments);
  const runtime = useDeployRuntime();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [cancelSent, setCancelSent] = useState(false);
  const leafId = view.leafId;
  const target = view.instance ? lastSucceeded(deployments, view.instance, view.deploymentId) : undefined;
  const run = (what: string, act: () => Promise<unknown>) => async () => {
    setBusy(true);
    setProblem(null);
    try {
      await act();
    } catch (e) {
      setProblem(`${what} was not sent: ${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const left = view.confirmDeadline ? secondsLeft(Date.parse(view.confirmDeadline), Date.parse(view.confirmSince ?? view.confirmDeadline), now) : 0;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {!isOver(view) && leafId && (
        <button type="button" className={button} disabled={busy} onClick={run("Cancel", () => connected(runtime).control("cancel", { leafId, deploymentId: view.deploymentId }).then(() => setCancelSent(true)))}>
          Cancel
        </button>
      )}
      {cancelSent && view.status === "pending" && <span role="status">Cancel sent: the leaf ends it cancelled, running nothing, when it takes the command.</span>}
      {view.status === "awaiting-confirmation" && leafId && (
        <>
          <button type="button" className={primary} disabled={busy} onClick={run("Confirm", () => connected(runtime).control("confirm", { leafId, deploymentId: view.deploymentId }))}>
            Confirm
          </button>
          <span aria-label="Confirmation countdown" className="font-medium text-amber-800">
            {left} s left before the leaf rolls back
          </span>
        </>
      )}
      {isOver(view) && target && (
        <>
          <button type="button" className={button} disabled={busy} onClick={() => setAsking(true)}>
            Roll back
          </button>
          {asking && <ConfirmRollback target={target} onSent={() => setAsking(false)} onCancel={() => setAsking(false)} />}
          <span className="text-xs text-slate-500">
            to {target.deploymentId}, the last success before this one ({time(target.finishedAt)})
          </span>
        </>
      )}
      {problem && (
        <span role="alert" className="text-red-700">
          {problem}
        </span>
      )}
    </div>
  );
}

function Steps({ view, now }: { view: View; now: number }) {
  return (
    <ol aria-label="Steps" className="grid grid-cols-7 gap-1 text-xs">
      {STEPS.map((name) => {
        const step = view.steps[name];
        const running = step.state === "running" && !isOver(view);
        const started = step.startedAt ? Date.parse(step.startedAt) : undefined;
        // The confirm step waits at most until the deadline: its clock stops there.
        const cap = name === "confirm" && view.confirmDeadline && started !== undefined ? Date.parse(view.confirmDeadline) - started : undefined;
        const elapsed = step.durationMs ?? (running && started !== undefined ? elapsedMs(started, now, cap) : undefined);
        // Once the deployment is over, a step that never started will not: "pending" would read as still to come.
        const label = step.state === "pending" && isOver(view) ? "not run" : step.state;
        const p = step.progress;
        return (
          <li key={name} aria-label={`Step ${name}: ${label}`} title={step.reason} className={`rounded p-1.5 ${TONE[step.state]}`}>
            <div className="font-medium">{name}</div>
            <div>
              {label}
              {elapsed !== undefined ? ` · ${duration(elapsed)}` : ""}
            </div>
            {p && (
              <div
                role="progressbar"
                aria-label={`${name} progress`}
                aria-valuemin={0}
                aria-valuemax={p.total}
                aria-valuenow={p.done}
                aria-valuetext={`${p.done} of ${p.total} ${p.unit}`}
                className="mt-1 h-1.5 rounded bg-white/70"
                title={p.label}
              >
                <div className="h-1.5 rounded bg-sky-600" style={{ width: `${p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0}%` }} />
              </div>
            )}
            {p && (
              <div className="truncate">
                {p.done}/{p.total} {p.unit}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
