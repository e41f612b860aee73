import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";
import { PanelBoundary } from "./PanelBoundary";
import { INITIAL_LAYOUT, LAYOUT_STORAGE_KEY, PANEL_BOUNDS, clampSize, parseLayout, sizeForKey, type Layout, type PanelName } from "./panelSizes";

/** The panels' sizes and collapsed flags, kept in the browser across reloads. */
export function usePanelLayout(storage: Storage = localStorage) {
  const [layout, setLayout] = useState<Layout>(() => {
    try {
      return parseLayout(storage.getItem(LAYOUT_STORAGE_KEY));
    } catch {
      return INITIAL_LAYOUT;
    }
  });
  useEffect(() => {
    try {
      storage.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(layout));
    } catch {
      // Storage full or refused: the layout still holds for this page.
    }
  }, [layout, storage]);
  const setSize = useCallback((panel: PanelName, size: number) => setLayout((l) => ({ ...l, [panel]: { ...l[panel], size: clampSize(panel, size) } })), []);
  const toggle = useCallback((panel: PanelName) => setLayout((l) => ({ ...l, [panel]: { ...l[panel], collapsed: !l[panel].collapsed } })), []);
  return { layout, setSize, toggle };
}

const NAMES: Record<PanelName, string> = { palette: "palette", inspector: "inspector", output: "output panel" };

interface SplitterProps {
  panel: PanelName;
  /** Which side of the splitter the panel is on; the arrow key that grows it follows. */
  side: "left" | "right" | "below";
  layout: Layout;
  setSize: (panel: PanelName, size: number) => void;
  toggle: (panel: PanelName) => void;
}

/**
 * The strip between a panel and the canvas: a separator that resizes the panel (drag, or
 * arrows with Shift for bigger steps, Home and End) and a button that hides or shows it.
 */
export function Splitter({ panel, side, layout, setSize, toggle }: SplitterProps) {
  const controls = panelId(panel);
  const { size, collapsed } = layout[panel];
  const vertical = side !== "below";
  const grows = side === "left" ? "ArrowRight" : side === "right" ? "ArrowLeft" : "ArrowUp";
  const drag = useRef<{ from: number; size: number } | null>(null);
  const name = NAMES[panel];

  const onKeyDown = (e: KeyboardEvent) => {
    const next = sizeForKey(panel, size, e.key, e.shiftKey, grows);
    if (next === null) return;
    e.preventDefault();
    setSize(panel, next);
  };
  const at = (e: PointerEvent) => (vertical ? e.clientX : e.clientY);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (collapsed || e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { from: at(e), size };
  };
  const onPointerMove = (e: PointerEvent) => {
    if (!drag.current) return;
    const moved = at(e) - drag.current.from;
    setSize(panel, drag.current.size + (side === "left" ? moved : -moved));
  };
  const onPointerUp = () => (drag.current = null);

  return (
    <div className={`relative shrink-0 bg-slate-200 ${vertical ? "w-1.5" : "h-1.5"}`}>
      {!collapsed && (
        <div
          role="separator"
          tabIndex={0}
          aria-label={`Resize the ${name}`}
          aria-controls={controls}
          aria-orientation={vertical ? "vertical" : "horizontal"}
          aria-valuenow={size}
          aria-valuemin={PANEL_BOUNDS[panel].min}
          aria-valuemax={PANEL_BOUNDS[panel].max}
          className={`absolute inset-0 hover:bg-sky-300 focus:bg-sky-500 focus:outline-none ${vertical ? "cursor-col-resize" : "cursor-row-resize"}`}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
        />
      )}
      <button
        type="button"
        aria-expanded={!collapsed}
        aria-controls={controls}
        title={`${collapsed ? "Show" : "Hide"} the ${name}`}
        onClick={() => toggle(panel)}
        className={`absolute z-10 flex h-5 w-5 items-center justify-center rounded-full border border-slate-300 bg-white text-[10px] text-slate-600 shadow-sm hover:bg-slate-50 ${
          vertical ? "top-2 left-1/2 -translate-x-1/2" : "left-2 top-1/2 -translate-y-1/2"
        }`}
      >
        <span aria-hidden="true">{arrow(side, collapsed)}</span>
        <span className="sr-only">{`${collapsed ? "Show" : "Hide"} the ${name}`}</span>
      </button>
    </div>
  );
}

const panelId = (panel: PanelName) => `${panel}-panel`;

/**
 * A panel at its size, in its own error boundary. Hidden, not unmounted, when collapsed: it
 * keeps what was typed into it.
 */
export function SizedPanel({ panel, name, layout, children }: { panel: PanelName; name: string; layout: Layout; children: ReactNode }) {
  const { size, collapsed } = layout[panel];
  return (
    <div id={panelId(panel)} className="shrink-0" style={panel === "output" ? { height: size } : { width: size }} hidden={collapsed}>
      <PanelBoundary name={name} className="h-full">
        {children}
      </PanelBoundary>
    </div>
  );
}

/** Which way the panel would move: away to hide it, back to show it. */
function arrow(side: SplitterProps["side"], collapsed: boolean): string {
  const away = side === "left" ? "◀" : side === "right" ? "▶" : "▼";
  const back = side === "left" ? "▶" : side === "right" ? "◀" : "▲";
  return collapsed ? back : away;
}
