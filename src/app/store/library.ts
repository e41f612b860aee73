import type { PersistStorage, StorageValue } from "zustand/middleware";
import { loadDesignShape } from "../../core/design/load";
import { DESIGN_VERSION, type Design } from "../../core/design/types";
import { messageOf } from "../../core/errors";

/**
 * The browser's design list in localStorage: an index of summaries plus one entry per design,
 * so autosaving the open design rewrites only that design. The persist middleware writes the
 * open design through `workspaceStorage`; the design list reads and edits the same entries.
 */

export interface SavedDesign {
  readonly id: string;
  readonly name: string;
  readonly nodeCount: number;
  readonly updatedAt: number;
}

/** What the store persists: the open design, keyed by its place in the list. */
export interface Workspace {
  readonly designId: string;
  readonly designName: string;
  readonly nodes: Design["nodes"];
  readonly edges: Design["edges"];
}

const INDEX = "alchemist.designs";
const CURRENT = "alchemist.current";
const entryKey = (id: string) => `alchemist.design:${id}`;
const SAVE_DELAY_MS = 300;

const storage = (): Storage | null => (typeof localStorage === "undefined" ? null : localStorage);

function readJson(key: string): unknown {
  const text = storage()?.getItem(key);
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const newDesignId = (): string => `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

export function listDesigns(): SavedDesign[] {
  const index = readJson(INDEX);
  return Array.isArray(index) ? (index as SavedDesign[]).filter((d) => typeof d?.id === "string") : [];
}

function writeIndex(list: readonly SavedDesign[]): void {
  storage()?.setItem(INDEX, JSON.stringify([...list].sort((a, b) => b.updatedAt - a.updatedAt)));
}

/** The stored document of a design, unchecked: callers pass it through `loadDesignShape`. */
export const readDesign = (id: string): unknown => readJson(entryKey(id));

export function saveDesign(id: string, design: Design): void {
  storage()?.setItem(entryKey(id), JSON.stringify(design));
  const summary: SavedDesign = { id, name: design.name, nodeCount: design.nodes.length, updatedAt: Date.now() };
  writeIndex([summary, ...listDesigns().filter((d) => d.id !== id)]);
}

export function removeDesign(id: string): void {
  storage()?.removeItem(entryKey(id));
  writeIndex(listDesigns().filter((d) => d.id !== id));
}

let pending: { id: string; design: Design } | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let onSaveError: (message: string) => void = () => {};

/** Writes a pending autosave now (before switching designs, and when the page is hidden). */
export function flushSave(): void {
  clearTimeout(timer);
  if (!pending) return;
  const { id, design } = pending;
  pending = null;
  try {
    saveDesign(id, design);
    storage()?.setItem(CURRENT, id);
  } catch (e) {
    onSaveError(`The browser refused to save "${design.name}": ${messageOf(e)}. Export the design to keep it.`);
  }
}

export const setSaveErrorHandler = (handler: (message: string) => void): void => {
  onSaveError = handler;
};

if (typeof addEventListener === "function") addEventListener("pagehide", flushSave);

/**
 * The persist middleware's storage: it reads the design last open and writes autosaves a
 * moment after the last change, so a drag does not serialise the design on every frame.
 * Entries are design files, read through the core loader: an entry from an older Alchemist
 * is migrated forward there, and one that no longer loads is left alone rather than opened.
 */
export const workspaceStorage: PersistStorage<Workspace> = {
  getItem: () => {
    const id = storage()?.getItem(CURRENT);
    const design = id ? loadDesignShape(readDesign(id)).design : null;
    if (!id || !design) return null;
    return { state: { designId: id, designName: design.name, nodes: design.nodes, edges: design.edges }, version: DESIGN_VERSION };
  },
  setItem: (_name, value: StorageValue<Workspace>) => {
    const { designId, designName, nodes, edges } = value.state;
    pending = { id: designId, design: { version: DESIGN_VERSION, name: designName, nodes, edges } };
    clearTimeout(timer);
    timer = setTimeout(flushSave, SAVE_DELAY_MS);
  },
  removeItem: () => {},
};
