import type { DeploymentStatus, DeploymentState, LeafState, StepState } from "../../core/protocol";

/** The deploy views' look: Tailwind classes shared by their chips, steps, tables and buttons. */

/** One colour per outcome, shared by chips, steps and the history. */
export const TONE: Record<DeploymentStatus | DeploymentState | StepState | LeafState, string> = {
  pending: "bg-slate-100 text-slate-600",
  accepted: "bg-sky-100 text-sky-800",
  queued: "bg-amber-100 text-amber-800",
  running: "bg-sky-100 text-sky-800",
  "awaiting-confirmation": "bg-amber-100 text-amber-900",
  succeeded: "bg-emerald-100 text-emerald-800",
  ok: "bg-emerald-100 text-emerald-800",
  idle: "bg-emerald-100 text-emerald-800",
  busy: "bg-sky-100 text-sky-800",
  failed: "bg-red-100 text-red-800",
  rejected: "bg-red-100 text-red-800",
  offline: "bg-slate-200 text-slate-600",
  cancelled: "bg-slate-200 text-slate-700",
  skipped: "bg-slate-100 text-slate-500",
};

export const button = "rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
export const primary = "rounded border border-violet-600 bg-violet-600 px-2 py-1 text-sm text-white hover:bg-violet-700 disabled:cursor-not-allowed disabled:opacity-50";
