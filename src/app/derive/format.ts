/** Times and durations in words for the deploy views: pure, so their tests need no DOM. */


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
