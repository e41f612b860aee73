import type { DeploymentStatus, DeploymentState, LeafState, StepState } from "../../core/protocol";

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

export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/**
 * How long something has run, never negative and never over `maxMs`. `nowMs` is a clock that
 * ticks once a second, so it can be older than the event just folded (a step that started
 * after the last tick read "running · -83 ms"), and the leaf's clock is not the browser's.
 */
export const elapsedMs = (fromMs: number, nowMs: number, maxMs = Infinity): number => Math.min(maxMs, Math.max(0, nowMs - fromMs));

/**
 * Whole seconds left before a deadline set `sinceMs` for `deadlineMs`: never more than the
 * timeout the leaf gave (deadline − since), so a 60 s timeout never reads "61 s left" on a stale
 * tick or a browser clock behind the leaf's, and never below 0.
 */
export const secondsLeft = (deadlineMs: number, sinceMs: number, nowMs: number): number => Math.ceil(elapsedMs(nowMs, deadlineMs, Math.max(0, deadlineMs - sinceMs)) / 1000);

export const time = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleTimeString() : "—");

export const button = "rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
export const primary = "rounded border border-violet-600 bg-violet-600 px-2 py-1 text-sm text-white hover:bg-violet-700 disabled:cursor-not-allowed disabled:opacity-50";
