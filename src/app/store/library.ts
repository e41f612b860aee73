import type { PersistStorage, StorageValue } from "zustand/middleware";
import { shallow } from "zustand/shallow";
import { loadDesignShape } from "../../core/design/load";
import { DESIGN_VERSION, type Design } from "../../core/design/types";
import { canonicalJson } from "../../core/design/canonical";
import { messageOf } from "../../core/errors";

/**
 * The browser's design list in localStorage: an index of summaries plus one entry per design,
 * so autosaving the open design rewrites only that design. Each store's autosave
 * (`createAutosave`) writes the open design; the design list reads and edits the same entries.
 */

export interface SavedDesign {
  readonly id: string;
  readonly name: string;
  readonly nodeCount: number;
  readonly updatedAt: number;
  /** Where it stands with the hub (read with the list; not kept in the index). */
  readonly hub?: HubMark;
}

/**
 * Where a design's entry stands with the hub's copy in cim_designs, kept beside the entry
 * (`alchemist.hub:<id>`) so a reload, a closed tab or an offline afternoon loses nothing: the
 * hub revision the entry was last in step with, and whether it holds changes the hub has not.
 */
export interface HubMark {
  /** The hub revision the entry is based on; 0: never on the hub. */
  readonly revision: number;
  /** The entry holds changes not yet written to the hub. */
  readonly pending: boolean;
  /** Who saved that revision, and when (ISO). */
  readonly savedBy?: { readonly name: string; readonly key?: string };
  readonly savedAt?: string;
  /** Said with the next save of the pending changes ("merged with alice's", "restored revision 7"). */
  readonly note?: string;
  /** A later revision someone else saved over which the pending changes were refused: asked about when the design is open. */
  readonly behind?: number;
}

/** What the store persists: the open design, keyed by its place in the list. */
export interface Workspace {
  readonly designId: string;
  readonly designName: string;
  readonly nodes: Design["nodes"];
  readonly edges: Design["edges"];
  readonly notes: NonNullable<Design["notes"]>;
  readonly locks: NonNullable<Design["locks"]>;
}

/** The open design as its entry stores it; no locks is no field, as in a design file. */
const workspaceDesign = (w: Omit<Workspace, "designId">): Design => ({
  version: DESIGN_VERSION,
  name: w.designName,
  nodes: w.nodes,
  edges: w.edges,
  ...(w.notes.length > 0 ? { notes: w.notes } : {}),
  ...(Object.keys(w.locks).length > 0 ? { locks: w.locks } : {}),
});

const INDEX = "alchemist.designs";
const CURRENT = "alchemist.current";
const entryKey = (id: string) => `alchemist.design:${id}`;
const markKey = (id: string) => `alchemist.hub:${id}`;
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

const indexed = (): SavedDesign[] => {
  const index = readJson(INDEX);
  return Array.isArray(index) ? (index as SavedDesign[]).filter((d) => typeof d?.id === "string") : [];
};

export const listDesigns = (): SavedDesign[] => indexed().map((d) => ({ ...d, hub: hubMark(d.id) }));

function writeIndex(list: readonly SavedDesign[]): void {
  storage()?.setItem(INDEX, JSON.stringify([...list].sort((a, b) => b.updatedAt - a.updatedAt).map(({ hub: _, ...d }) => d)));
}

/** An entry without a mark was made before the hub kept designs, or offline: it is owed to the hub. */
export function hubMark(id: string): HubMark {
  const m = readJson(markKey(id)) as Partial<HubMark> | null;
  return m && typeof m.revision === "number" && typeof m.pending === "boolean" ? (m as HubMark) : { revision: 0, pending: true };
}

/** The hub revision a design's entry holds exactly, for a deployment to record; none while changes are owed to the hub. */
export function hubRevisionOf(id: string): { id: string; revision: number } | undefined {
  const m = hubMark(id);
  return m.revision > 0 && !m.pending ? { id, revision: m.revision } : undefined;
}

export function setHubMark(id: string, mark: HubMark): void {
  storage()?.setItem(markKey(id), JSON.stringify(mark));
}

/** The stored document of a design, unchecked: callers pass it through `loadDesignShape`. */
export const readDesign = (id: string): unknown => readJson(entryKey(id));

function writeEntry(id: string, design: Design, updatedAt: number, text = JSON.stringify(design)): void {
  storage()?.setItem(entryKey(id), text);
  const summary: SavedDesign = { id, name: design.name, nodeCount: design.nodes.length, updatedAt };
  writeIndex([summary, ...indexed().filter((d) => d.id !== id)]);
}

/** Same design, whatever the order of its keys: a copy read back from the hub is no change. */
const same = (a: Design, b: unknown): boolean => {
  const loaded = loadDesignShape(b).design;
  return loaded !== null && canonicalJson(a) === canonicalJson(loaded);
};

/** A save of the person's: the entry, and that the hub does not have it yet (unless it is what the entry already held). */
export function saveDesign(id: string, design: Design): void {
  const before = storage()?.getItem(entryKey(id)) ?? null;
  const mark = hubMark(id);
  const text = JSON.stringify(design);
  // Only an entry in step with the hub is compared (once, at its first change): a large design's autosave stays cheap.
  const changed = !mark.pending && text !== before && (before === null || !same(design, JSON.parse(before)));
  writeEntry(id, design, Date.now(), text);
  if (changed) setHubMark(id, { ...mark, pending: true });
}

/** The hub's revision of a design, as this browser's copy: in step with the hub, nothing owed. */
export function keepFromHub(id: string, design: Design, mark: Omit<HubMark, "pending">): void {
  writeEntry(id, design, Date.parse(mark.savedAt ?? "") || Date.now());
  setHubMark(id, { ...mark, pending: false });
}

const REMOVALS = "alchemist.hubRemovals";

/** Designs deleted here that the hub still has: removed there when it is reachable (and not pulled back before). */
export const hubRemovals = (): string[] => {
  const list = readJson(REMOVALS);
  return Array.isArray(list) ? list.filter((id): id is string => typeof id === "string") : [];
};

export function removedOnHub(id: string): void {
  storage()?.setItem(REMOVALS, JSON.stringify(hubRemovals().filter((x) => x !== id)));
}

/** Deletes the design here and, once the hub is reachable, there: a design the team shares is deleted for all. */
export function removeDesign(id: string): void {
  if (hubMark(id).revision > 0) storage()?.setItem(REMOVALS, JSON.stringify([...new Set([...hubRemovals(), id])]));
  forgetDesign(id);
}

/** Drops this browser's copy of a design, and nothing else. */
export function forgetDesign(id: string): void {
  storage()?.removeItem(entryKey(id));
  storage()?.removeItem(markKey(id));
  writeIndex(indexed().filter((d) => d.id !== id));
}

export interface TabHandlers {
  /** Another tab saved the open design and this one had nothing unsaved: show theirs. */
  changed: (theirs: Design) => void;
  /** Another tab saved the open design while this one had changes of its own, not written. */
  conflict: (theirs: Design, mine: Design) => void;
  /** The browser refused an autosave. */
  saveFailed: (message: string) => void;
}

const parsed = (text: string): Design | null => {
  try {
    return loadDesignShape(JSON.parse(text)).design ?? null;
  } catch {
    return null;
  }
};

/** One store's autosave: what it has yet to write, and what it knows another tab wrote. */
export interface Autosave {
  /** The persist middleware's storage (see `createAutosave`). */
  readonly workspaceStorage: PersistStorage<Workspace>;
  /** Writes a pending autosave now (before switching designs, and when the page is hidden). */
  flushSave(): void;
  /** This tab now holds what is stored for `id` (it took the other tab's version): no save is owed. */
  acceptStored(id: string): void;
  /** Listens to the page (hidden: save now; another tab saved: take it or ask); returns the way to stop. */
  listen(): () => void;
}

/**
 * The autosave of one store. Its persist middleware writes the open design through
 * `workspaceStorage`: it reads the design last open and writes autosaves a moment after the
 * last change, so a drag does not serialise the design on every frame. Entries are design
 * files, read through the core loader: an entry from an older Alchemist is migrated forward
 * there, and one that no longer loads is left alone rather than opened.
 */
export function createAutosave(tabs: TabHandlers): Autosave {
  let pending: { id: string; design: Design } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The workspace of the save pending or last written. The persist middleware calls for a save
   * on every store update, most of which (a fleet's heartbeats, a log's lines, 60 a second)
   * change no part of the design: those must neither serialise it again nor put off a save
   * that is owed (they would, for as long as the fleet beats).
   */
  let scheduled: Workspace | null = null;
  const unchanged = (w: Workspace): boolean => scheduled !== null && shallow(w, scheduled);

  /**
   * Two tabs on one design share its entry. `known` is the entry's text as this tab last read or
   * wrote it: a different text there is another tab's save. A tab with nothing unsaved takes that
   * version (it sees the other's saves live); one with unsaved changes never writes over it, it
   * asks (`conflict`) — the last writer used to win silently.
   */
  let known: { id: string; text: string | null; shape: string | null } | null = null;

  /** The entry as this tab now knows it; `shape` is the design as this tab would write it, for comparing with a save it is about to make. */
  function sync(id: string): void {
    const text = storage()?.getItem(entryKey(id)) ?? null;
    const design = text === null ? null : parsed(text);
    known = { id, text, shape: design && JSON.stringify(workspaceDesign({ designName: design.name, nodes: design.nodes, edges: design.edges, notes: design.notes ?? [], locks: design.locks ?? {} })) };
  }

  /**
   * Whether this tab's pending save changes the design it last read or wrote. Any new part of the
   * workspace schedules a save; one that would write the same text is no change of the person's
   * and must not be called a conflict.
   */
  const changesKnown = (p: { id: string; design: Design }): boolean => known?.id === p.id && JSON.stringify(p.design) !== known.shape;

  function acceptStored(id: string): void {
    clearTimeout(timer);
    pending = null;
    scheduled = null;
    sync(id);
  }

  function flushSave(): void {
    clearTimeout(timer);
    if (!pending) return;
    const { id, design } = pending;
    pending = null;
    const stored = storage()?.getItem(entryKey(id)) ?? null;
    const theirs = known?.id === id && stored !== null && stored !== known.text ? parsed(stored) : null;
    if (theirs) {
      scheduled = null;
      if (changesKnown({ id, design })) return tabs.conflict(theirs, design);
      tabs.changed(theirs);
      return acceptStored(id);
    }
    try {
      saveDesign(id, design);
      storage()?.setItem(CURRENT, id);
      sync(id);
    } catch (e) {
      scheduled = null;
      tabs.saveFailed(`The browser refused to save "${design.name}": ${messageOf(e)}. Export the design to keep it.`);
    }
  }

  /** Another tab wrote the open design's entry (the event never fires for this tab's own writes). */
  function otherTabSaved(e: StorageEvent): void {
    if (!known || e.key !== entryKey(known.id) || e.newValue === null || e.newValue === known.text) return;
    const theirs = parsed(e.newValue);
    if (!theirs) return;
    if (pending && changesKnown(pending)) {
      const mine = pending.design;
      clearTimeout(timer);
      pending = null;
      scheduled = null;
      return tabs.conflict(theirs, mine);
    }
    const id = known.id;
    tabs.changed(theirs);
    // Showing theirs is no edit of this tab's: the autosave it set off would only write it back.
    acceptStored(id);
  }

  const workspaceStorage: PersistStorage<Workspace> = {
    getItem: () => {
      const id = storage()?.getItem(CURRENT);
      const design = id ? loadDesignShape(readDesign(id)).design : null;
      if (!id || !design) return null;
      sync(id);
      return { state: { designId: id, designName: design.name, nodes: design.nodes, edges: design.edges, notes: design.notes ?? [], locks: design.locks ?? {} }, version: DESIGN_VERSION };
    },
    setItem: (_name, value: StorageValue<Workspace>) => {
      if (unchanged(value.state)) return;
      scheduled = value.state;
      pending = { id: value.state.designId, design: workspaceDesign(value.state) };
      clearTimeout(timer);
      timer = setTimeout(flushSave, SAVE_DELAY_MS);
    },
    removeItem: () => {},
  };

  return {
    workspaceStorage,
    flushSave,
    acceptStored,
    listen: () => {
      addEventListener("pagehide", flushSave);
      addEventListener("storage", otherTabSaved);
      return () => {
        removeEventListener("pagehide", flushSave);
        removeEventListener("storage", otherTabSaved);
      };
    },
  };
}
