import { memo, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { STEPS, type StepName } from "../../core/protocol";
import { button } from "./styles";
import { matchingLines, type LogFilter, type LogStream } from "../derive/logs";
import { useLogs } from "../hub/runtimeContext";
import { messageOf } from "../../core/errors";

const ROW = 18;
const OVERSCAN = 20;
const STEP_WIDTH = Math.max(...STEPS.map((s) => s.length));

/**
 * A deployment's log: only the rows in sight are in the DOM, so 100 000 lines cost what 40 do.
 * Rows have one fixed height, so the window is arithmetic on the scroll position (a general
 * virtualiser re-measures every row whenever the count grows: too slow for a fast log).
 * Follow mode keeps the newest line in view until the reader scrolls up.
 * `lines` (the fold's count) is what makes it redraw as lines arrive.
 */
export const LogViewer = memo(function LogViewer({ deploymentId, lines }: { deploymentId: string; lines: number }) {
  const buffer = useLogs(deploymentId);
  const [filter, setFilter] = useState<LogFilter>({ step: "all", stream: "all", search: "" });
  const [follow, setFollow] = useState(true);
  const [copied, setCopied] = useState<string | null>(null);
  const cache = useRef<{ filter: LogFilter; buffer: typeof buffer; upTo: number; indices: number[] } | null>(null);
  if (cache.current?.filter !== filter || cache.current.buffer !== buffer) cache.current = { filter, buffer, ...matchingLines(buffer, filter) };
  else if (cache.current.upTo < buffer.length) Object.assign(cache.current, matchingLines(buffer, filter, cache.current));
  const indices = cache.current.indices;
  const count = indices.length;

  const scroller = useRef<HTMLDivElement>(null);
  // The reader's scroll position and the scroller's height, as last seen: events and a
  // ResizeObserver tell them, so a render never reads layout (a read after React's writes
  // would force the browser to lay the page out there and then, once per batch of lines).
  const [viewport, setViewport] = useState({ top: 0, height: 0 });
  const see = (top: number, height: number) => setViewport((v) => (v.top === top && v.height === height ? v : { top, height }));
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && see(el.scrollTop, entry.contentRect.height));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Following, the window is the end of the log, known from the count alone: drawn in this
  // render rather than one render later, once the scroll position has caught up.
  const top = follow ? Math.max(0, count * ROW - viewport.height) : viewport.top;
  useLayoutEffect(() => {
    // The browser clamps it to the end. Writing it lays the new rows out now, in the task that
    // made them: left to the next frame (the write in a ResizeObserver callback, after the frame's
    // layout), the frame's layout, style and paint made a longer task than either is now
    // (docs/editor.md, the fleet bench).
    if (follow && scroller.current) scroller.current.scrollTop = count * ROW;
  }, [follow, count, viewport.height]);
  // Rows beyond the view are drawn for a reader's scroll. Following, a batch of lines longer than
  // the view would make them all and drop them at the next batch, unseen: only the view is drawn.
  const first = Math.max(0, Math.floor(top / ROW) - (follow ? 0 : OVERSCAN));
  const last = Math.min(count, Math.ceil((top + viewport.height) / ROW) + OVERSCAN);
  useEffect(() => setCopied(null), [filter]);

  const ids = { step: useId(), stream: useId(), search: useId() };
  const copy = () => {
    const text = indices.map((i) => buffer.text[i]).join("\n");
    navigator.clipboard.writeText(text).then(
      () => setCopied(`Copied ${count} line${count === 1 ? "" : "s"}`),
      (e: unknown) => setCopied(`Could not copy: ${messageOf(e)}`),
    );
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 py-1 text-xs">
        <label htmlFor={ids.step}>Step</label>
        <select id={ids.step} className="rounded border border-slate-300 px-1" value={filter.step} onChange={(e) => setFilter({ ...filter, step: e.target.value as StepName | "all" })}>
          <option value="all">all</option>
          {STEPS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor={ids.stream}>Stream</label>
        <select id={ids.stream} className="rounded border border-slate-300 px-1" value={filter.stream} onChange={(e) => setFilter({ ...filter, stream: e.target.value as LogStream | "all" })}>
          <option value="all">all</option>
          <option>stdout</option>
          <option>stderr</option>
        </select>
        <input id={ids.search} type="search" aria-label="Search log" placeholder="Search log" className="w-40 rounded border border-slate-300 px-1" value={filter.search} onChange={(e) => setFilter({ ...filter, search: e.target.value })} />
        <button
          type="button"
          className={button}
          aria-pressed={follow}
          onClick={() => {
            // Following left `viewport` where it was before: the window stays where the reader is, at the end.
            if (follow && scroller.current) see(scroller.current.scrollTop, viewport.height);
            setFollow(!follow);
          }}
        >
          Follow
        </button>
        <button type="button" className={button} onClick={copy} disabled={count === 0}>
          Copy log
        </button>
        <span aria-label="Log line count" className="ml-auto text-slate-500">
          {count === lines ? `${lines} lines` : `${count} of ${lines} lines`}
        </span>
        {copied && <span role="status">{copied}</span>}
      </div>
      {/* A flex item is laid out with its container; the scroller, positioned inside one, has its own layout. */}
      <div className="relative min-h-0 flex-1">
        <div
          ref={scroller}
          role="log"
          aria-label="Deployment log"
          tabIndex={0}
          // Its own layout and paint: lines arriving relayout and repaint this box, not the page.
          className="absolute inset-0 overflow-auto bg-slate-50 font-mono text-[11px] text-slate-900 [contain:strict]"
          onScroll={(e) => {
            const el = e.currentTarget;
            // Scrolled away from the end by the reader: stop following; back at the end: follow again.
            // Measured on the element, not from `viewport` and the count: when the box changes height
            // (what is above it changes as the deployment runs), the browser moves the scroll
            // position to the new end before the observer tells the new height, and the old height
            // can make that look like a reader's scroll up (the e2e test of following failed so on a
            // loaded machine). The layout that the scroll position read needs serves these too.
            const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
            if (atEnd !== follow) setFollow(atEnd);
            // Following, the window is drawn from the count: the scroll that follow itself made changes nothing.
            if (!(atEnd && follow)) see(el.scrollTop, viewport.height);
          }}
        >
          <div style={{ height: count * ROW, position: "relative" }}>
            {/* Each line keeps its row and its place while in the window: an append adds the new rows and drops the oldest, the rest are not touched. */}
            {indices.slice(first, last).map((i, k) => (
              <div
                key={i}
                data-line={i + 1}
                className={`absolute left-0 flex w-full gap-2 whitespace-pre px-2 ${buffer.streamOf(i) === "stderr" ? "text-amber-800" : ""}`}
                style={{ height: ROW, top: (first + k) * ROW }}
              >
                {/* Number and step in one padded span of the monospace font: a batch of lines makes half the elements to style and lay out. */}
                <span className="shrink-0 select-none text-slate-500">{`${String(i + 1).padStart(7)}  ${buffer.stepOf(i).padEnd(STEP_WIDTH)}`}</span>
                {buffer.text[i]}
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
});
