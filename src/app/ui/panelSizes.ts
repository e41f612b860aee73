/**
 * The sizes of the three panels around the canvas (palette and inspector widths, the output
 * panel's height) and whether each is collapsed: what the person chose, kept in the browser.
 * Pure: the storage is handed in.
 */

export type PanelName = "palette" | "inspector" | "output";

export interface PanelLayout {
  readonly size: number;
  readonly collapsed: boolean;
}

export type Layout = Readonly<Record<PanelName, PanelLayout>>;

/** Bounds in CSS pixels: a panel smaller than `min` cannot show its content; one over `max` leaves the canvas no room. */
export const PANEL_BOUNDS: Readonly<Record<PanelName, { min: number; max: number; initial: number }>> = {
  palette: { min: 160, max: 480, initial: 240 },
  inspector: { min: 240, max: 640, initial: 320 },
  output: { min: 120, max: 640, initial: 288 },
};

/** One keyboard step of a splitter; Shift moves by four. */
export const STEP = 16;

export const LAYOUT_STORAGE_KEY = "alchemist.layout";

export const INITIAL_LAYOUT: Layout = {
  palette: { size: PANEL_BOUNDS.palette.initial, collapsed: false },
  inspector: { size: PANEL_BOUNDS.inspector.initial, collapsed: false },
  output: { size: PANEL_BOUNDS.output.initial, collapsed: false },
};

export const clampSize = (panel: PanelName, size: number): number => {
  const { min, max } = PANEL_BOUNDS[panel];
  return Math.round(Math.min(max, Math.max(min, size)));
};

/** The layout kept in storage; anything unreadable or out of bounds falls back to the initial, panel by panel. */
export function parseLayout(text: string | null): Layout {
  let stored: unknown;
  try {
    stored = text === null ? null : JSON.parse(text);
  } catch {
    stored = null;
  }
  const entry = (panel: PanelName): PanelLayout => {
    const raw = stored && typeof stored === "object" ? (stored as Record<string, unknown>)[panel] : undefined;
    if (!raw || typeof raw !== "object") return INITIAL_LAYOUT[panel];
    const { size, collapsed } = raw as { size?: unknown; collapsed?: unknown };
    return {
      size: typeof size === "number" && Number.isFinite(size) ? clampSize(panel, size) : INITIAL_LAYOUT[panel].size,
      collapsed: collapsed === true,
    };
  };
  return { palette: entry("palette"), inspector: entry("inspector"), output: entry("output") };
}

/** The size a splitter key gives, or null for a key it does not take. */
export function sizeForKey(panel: PanelName, size: number, key: string, shift: boolean, grows: "ArrowRight" | "ArrowLeft" | "ArrowUp"): number | null {
  const step = shift ? STEP * 4 : STEP;
  const shrinks = grows === "ArrowRight" ? "ArrowLeft" : grows === "ArrowLeft" ? "ArrowRight" : "ArrowDown";
  if (key === grows) return clampSize(panel, size + step);
  if (key === shrinks) return clampSize(panel, size - step);
  if (key === "Home") return PANEL_BOUNDS[panel].min;
  if (key === "End") return PANEL_BOUNDS[panel].max;
  return null;
}
