import type { AlchemistError } from "../errors";
import { compare } from "../order";
import type { DeployAction } from "./commands";
import { STEPS, type DeployEvent, type StepName } from "./events";
import { leafPresence, type HeardLeaf, type LeafState } from "./presence";
import { TERMINAL_STATES, type DeploymentSummary, type LeafRecord } from "./records";

export type StepState = "pending" | "running" | "ok" | "failed" | "skipped";

export interface StepView {
  state: StepState;
  /** When the step started, for the running clock of a step that has not finished. */
  startedAt?: string;
  reason?: string;
  durationMs?: number;
  progress?: { done: number; total: number; unit: string; label: string };
}

export type DeploymentStatus = "pending" | "accepted" | "queued" | "running" | "awaiting-confirmation" | "succeeded" | "failed" | "cancelled" | "rejected";

export interface UnitView {
  nodeId: string;
  active: boolean;
  state: string;
}

/**
 * What a deployment looks like after the events seen so far: the deploy view and the canvas
 * colours are this and nothing else, so a replayed deployment looks exactly like a live one.
 */
export interface DeploymentView {
  deploymentId: string;
  leafId?: string;
  instance?: string;
  action?: DeployAction;
  designHash?: string;
  status: DeploymentStatus;
  steps: Record<StepName, StepView>;
  units: Record<string, UnitView>;
  /** The step running now, or the last one that ran. */
  currentStep?: StepName;
  queuedBehind?: string;
  confirmDeadline?: string;
  /** When the leaf began to wait for the confirmation: the countdown never shows more than deadline − this. */
  confirmSince?: string;
  rolledBack?: string;
  error?: AlchemistError;
  /** The highest `seq` applied; events at or below it are duplicates. */
  lastSeq: number;
  /** Set when an event arrived after a gap in `seq`: something was missed. */
  gapAt?: number;
  startedAt?: string;
  finishedAt?: string;
  logLines: number;
  /** Every event but logs and progress, in order: what the deployment did, one line each. */
  timeline: TimelineEntry[];
}

export interface TimelineEntry {
  seq: number;
  ts: string;
  text: string;
}

/**
 * The view before any event. `leafId`, when known (the leaf the command was sent to, or the
 * one its summary names), pins the deployment to that leaf from the start, so another leaf's
 * event cannot claim it by arriving first.
 */
export function emptyView(deploymentId: string, leafId?: string): DeploymentView {
  return {
    deploymentId,
    ...(leafId === undefined ? {} : { leafId }),
    status: "pending",
    steps: Object.fromEntries(STEPS.map((s) => [s, { state: "pending" }])) as Record<StepName, StepView>,
    units: {},
    lastSeq: 0,
    logLines: 0,
    timeline: [],
  };
}

const TERMINAL: readonly DeploymentStatus[] = TERMINAL_STATES;

export const isFinished = (v: DeploymentView): boolean => TERMINAL.includes(v.status);

/** Nothing more will happen: finished, or rejected before it began. */
export const isOver = (v: DeploymentView): boolean => isFinished(v) || v.status === "rejected";

/** One line saying what a milestone event means; logs and progress have their own views. */
export function describeEvent(e: DeployEvent): string | null {
  switch (e.type) {
    case "accepted":
      return `accepted: ${e.action} of ${e.instance}`;
    case "queued":
      return `queued behind ${e.behind}`;
    case "rejected":
      return `rejected: ${e.error.code} ${e.error.message}`;
    case "step-started":
      return `${e.step} started`;
    case "step-finished":
      return `${e.step} ${e.status}${e.reason ? `: ${e.reason}` : ""} (${e.durationMs} ms)`;
    case "unit-status":
      return `unit ${e.unit} (${e.nodeId}) ${e.state}`;
    case "awaiting-confirmation":
      return `awaiting confirmation until ${e.deadline}: ${e.reason}`;
    case "confirmed":
    case "rolled-back":
      return `${e.type}: ${e.reason}`;
    case "succeeded":
      return "succeeded";
    case "failed":
      return `failed: ${e.error.code} ${e.error.message}`;
    case "cancelled":
      return `cancelled: ${e.reason}`;
    case "step-log":
    case "step-progress":
      return null;
  }
}
/**
 * Why an event is not this deployment's, or null: it names another deployment, or another leaf
 * than the one the deployment runs on (the first to speak for it, unless the view was pinned).
 */
export function foreignEvent(view: DeploymentView, e: DeployEvent): string | null {
  if (e.deploymentId !== view.deploymentId) return `event #${e.seq} is of deployment ${e.deploymentId}, not ${view.deploymentId}`;
  if (view.leafId !== undefined && e.leafId !== view.leafId) return `event #${e.seq} of ${view.deploymentId} comes from leaf ${e.leafId}, but the deployment runs on ${view.leafId}`;
  return null;
}

/** Applies one event; a duplicate (seq already seen) or another deployment's event leaves the view as it was. */
export function applyEvent(view: DeploymentView, e: DeployEvent): DeploymentView {
  if (e.seq <= view.lastSeq || foreignEvent(view, e) !== null) return view;
  const v: DeploymentView = { ...view, lastSeq: e.seq, leafId: e.leafId };
  if (e.seq > view.lastSeq + 1 && v.gapAt === undefined) v.gapAt = view.lastSeq + 1;
  const step = (name: StepName, patch: Partial<StepView>) => {
    v.steps = { ...v.steps, [name]: { ...v.steps[name], ...patch } };
  };
  const text = describeEvent(e);
  if (text !== null) v.timeline = [...v.timeline, { seq: e.seq, ts: e.ts, text }];
  switch (e.type) {
    case "accepted":
      Object.assign(v, { status: "accepted", instance: e.instance, action: e.action, designHash: e.designHash, startedAt: e.ts });
      break;
    case "queued":
      Object.assign(v, { status: "queued", queuedBehind: e.behind });
      break;
    case "rejected":
      // A rejected cancel or confirm leaves its deployment as it was.
      if (v.status === "pending") Object.assign(v, { status: "rejected", error: e.error, finishedAt: e.ts });
      break;
    case "step-started":
      step(e.step, { state: "running", startedAt: e.ts });
      Object.assign(v, { status: "running", currentStep: e.step });
      break;
    case "step-finished":
      step(e.step, { state: e.status, durationMs: e.durationMs, ...(e.reason ? { reason: e.reason } : {}) });
      break;
    case "step-log":
      v.logLines += e.line.split("\n").length;
      break;
    case "step-progress":
      step(e.step, { progress: { done: e.done, total: e.total, unit: e.unit, label: e.label } });
      break;
    case "unit-status":
      v.units = { ...v.units, [e.unit]: { nodeId: e.nodeId, active: e.active, state: e.state } };
      break;
    case "awaiting-confirmation":
      Object.assign(v, { status: "awaiting-confirmation", confirmDeadline: e.deadline, confirmSince: e.ts });
      break;
    case "confirmed":
      Object.assign(v, { status: "running", confirmDeadline: undefined, confirmSince: undefined });
      break;
    case "rolled-back":
      v.rolledBack = e.reason;
      break;
    case "succeeded":
      Object.assign(v, { status: "succeeded", finishedAt: e.ts });
      break;
    case "failed":
      Object.assign(v, { status: "failed", error: e.error, finishedAt: e.ts, confirmDeadline: undefined, confirmSince: undefined });
      break;
    case "cancelled":
      Object.assign(v, { status: "cancelled", finishedAt: e.ts, confirmDeadline: undefined, confirmSince: undefined });
      break;
  }
  return v;
}

export interface FoldedBatch {
  view: DeploymentView;
  /** The events the view took, in order: the log takes exactly their lines. */
  applied: DeployEvent[];
  /** Why each foreign event was dropped; duplicates are dropped silently (a replay overlaps). */
  dropped: string[];
}

/** Folds a batch one event at a time, so one foreign event never costs the others. */
export function foldBatch(view: DeploymentView, events: readonly DeployEvent[]): FoldedBatch {
  const out: FoldedBatch = { view, applied: [], dropped: [] };
  for (const e of events) {
    const why = foreignEvent(out.view, e);
    if (why !== null) {
      out.dropped.push(why);
      continue;
    }
    const next = applyEvent(out.view, e);
    if (next !== out.view) out.applied.push(e);
    out.view = next;
  }
  return out;
}

export const foldEvents = (deploymentId: string, events: readonly DeployEvent[]): DeploymentView =>
  [...events].sort((a, b) => a.seq - b.seq).reduce(applyEvent, emptyView(deploymentId));

/**
 * `not-run` is a node of a deployment that ended before deploying it (failed, rejected,
 * cancelled): "pending" there would read as still to come, while nothing more will happen.
 */
export type NodeDeployState = "pending" | "deploying" | "active" | "failed" | "not-run";

/**
 * The colour of each node of the deployed instance. Units report their own nodes. When the
 * deployment succeeds, nodes without units are active too; when it fails, the instance node
 * and the nodes whose units failed are red and the rest were not run.
 */
export function nodeStates(view: DeploymentView, instanceNodeId: string, memberIds: readonly string[]): Record<string, NodeDeployState> {
  const failed = view.status === "failed" || view.status === "rejected";
  const base: NodeDeployState = view.status === "succeeded" ? "active" : failed || view.status === "cancelled" ? "not-run" : view.status === "pending" ? "pending" : "deploying";
  const out: Record<string, NodeDeployState> = {};
  for (const id of memberIds) out[id] = base;
  out[instanceNodeId] = failed ? "failed" : base;
  for (const u of Object.values(view.units)) {
    if (!(u.nodeId in out)) continue;
    if (!u.active) out[u.nodeId] = "failed";
    else if (out[u.nodeId] === "deploying") out[u.nodeId] = "active";
  }
  return out;
}

/** A message's first line, without the colon that introduced what followed it: the headline of an error. */
export const firstLine = (text: string): string => text.split("\n", 1)[0]!.replace(/:\s*$/, "");

export interface Failure {
  error: AlchemistError;
  /** The error's first line: a step's message carries the log tail after it, which the summary shows apart. */
  headline: string;
  /** The lines of the message after the headline (the log tail the leaf quoted), if any. */
  detail?: string;
  step?: StepName;
  /** The failing step's own reason, first line only, when it says more than the headline. */
  reason?: string;
  rolledBack?: string;
}

/** What went wrong, for the error summary: the deployment's error and the step that failed. */
export function failureOf(view: DeploymentView): Failure | null {
  if (!view.error || (view.status !== "failed" && view.status !== "rejected")) return null;
  const step = STEPS.find((s) => view.steps[s].state === "failed");
  const headline = firstLine(view.error.message);
  const detail = view.error.message.split("\n").slice(1).join("\n").trim();
  const reason = step && view.steps[step].reason ? firstLine(view.steps[step].reason) : undefined;
  return {
    error: view.error,
    headline,
    ...(detail ? { detail } : {}),
    ...(step ? { step } : {}),
    ...(reason && reason !== headline ? { reason } : {}),
    ...(view.rolledBack ? { rolledBack: view.rolledBack } : {}),
  };
}

/** Newest first, by when the leaf accepted each; ties fall back to the id. */
export function newestFirst(a: DeploymentSummary, b: DeploymentSummary): number {
  return compare(b.acceptedAt, a.acceptedAt) || compare(b.deploymentId, a.deploymentId);
}

/** The deployments of one instance, newest first: the history and the canvas colours read this. */
export function historyOf(summaries: Readonly<Record<string, DeploymentSummary>>, instance: string): DeploymentSummary[] {
  return Object.values(summaries).filter((d) => d.instance === instance).sort(newestFirst);
}

/**
 * The last successful deployment of an instance, or of those older than `before`: the review's
 * baseline, the undeployed-change marks and the target of "roll back".
 */
export function lastSucceeded(summaries: Readonly<Record<string, DeploymentSummary>>, instance: string, before?: string): DeploymentSummary | undefined {
  const history = historyOf(summaries, instance);
  const from = before === undefined ? 0 : history.findIndex((d) => d.deploymentId === before) + 1;
  if (before !== undefined && from === 0) return undefined;
  return history.slice(from).find((d) => d.state === "succeeded");
}

/**
 * `record[key]` if the record has it as its own entry. Records here are keyed by ids from the
 * hub, and a valid id may be "constructor" or "__proto__": a plain index would hand back
 * Object.prototype's member instead of nothing.
 */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

export type { LeafState } from "./presence";

/** A leaf as shown, judged by the hub's clock: see presence.ts. */
export const leafState: (leaf: HeardLeaf, nowMs: number) => LeafState = leafPresence;

export const servesInstance = (leaf: LeafRecord, instance: string): boolean => leaf.instances.includes("*") || leaf.instances.includes(instance);
