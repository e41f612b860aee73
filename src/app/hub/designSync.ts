import type { StoreApi } from "zustand";
import { UNNAMED_LOGIN, type DesignStore } from "../../client/designStore";
import { loadDesignShape } from "../../core/design/load";
import { canonicalJson } from "../../core/design/canonical";
import type { Design } from "../../core/design/types";
import type { DesignRevision } from "../../core/protocol/designRecord";
import { messageOf } from "../../core/errors";
import { forgetDesign, hubMark, hubRemovals, listDesigns, readDesign, removedOnHub, setHubMark } from "../store/library";
import { currentDesign, type AppState } from "../store/state";

/** What the sync needs of the hub's design store: DesignStore, on the page's connection. */
export type HubDesigns = Pick<DesignStore, "list" | "revision" | "save" | "remove" | "watch">;

/**
 * The hub is written once edits settle, not on every autosave: the bucket keeps 64 revisions
 * per design, and a revision every 300 ms of typing would push a morning's history out of it.
 */
export const SETTLE_MS = 3000;

const stored = (id: string): Design | null => loadDesignShape(readDesign(id)).design;
const same = (a: Design, b: Design | null): boolean => b !== null && canonicalJson(a) === canonicalJson(b);
/** A design nobody has typed anything into is not worth a place on the hub. */
const untouched = (d: Design): boolean => d.nodes.length === 0 && (d.notes?.length ?? 0) === 0 && d.name === "Untitled design";

/**
 * Keeps this browser's designs and the hub's in step, on one connection: everything the hub has
 * is copied here (so work goes on offline, and a browser whose storage was cleared gets its
 * designs back), every change made here is saved there with the revision it was made on
 * (compare-and-set), and a revision someone else saved is shown at once — or, over changes of
 * this browser's the hub has not, asked about (the store's `designConflict`). Every step runs
 * in one queue, so a save and the hub's echo of it are never taken apart.
 * Returns the way to stop.
 */
export function startDesignSync(hub: HubDesigns, store: StoreApi<AppState>, identity: string | undefined): () => void {
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();
  let settle: ReturnType<typeof setTimeout> | undefined;
  const state = () => store.getState();

  function run(task: () => Promise<void>): void {
    queue = queue.then(async () => {
      if (stopped) return;
      try {
        await task();
        state().setDesignsProblem(null);
      } catch (e) {
        // Nothing is lost: what is owed stays marked pending and goes with the next attempt.
        state().setDesignsProblem(`Designs not saved to the hub yet: ${messageOf(e)}`);
      }
    });
  }

  async function conflict(id: string, mine: Design, basedOn: number, theirs: DesignRevision): Promise<void> {
    setHubMark(id, { ...hubMark(id), behind: theirs.revision });
    state().refreshDesigns();
    // A design not open is asked about when it is opened (its save fails the same way then).
    if (id !== state().designId || state().designConflict) return;
    // Without the base (aged out of the bucket, or unreadable now) the review only cannot say who changed what.
    const base = basedOn > 0 ? await hub.revision(id, basedOn).catch(() => null) : null;
    if (id !== state().designId || state().designConflict) return;
    state().setDesignConflict({
      theirs: theirs.save.design,
      mine: id === state().designId ? currentDesign(state()) : mine,
      hub: { revision: theirs.revision, savedBy: theirs.save.savedBy, savedAt: theirs.save.savedAt, basedOn, base: base?.save.design ?? null },
    });
  }

  async function push(id: string): Promise<void> {
    const mark = hubMark(id);
    const design = stored(id);
    if (!mark.pending || !design || (mark.revision === 0 && untouched(design))) return;
    if (id === state().designId && state().designConflict) return;
    const r = await hub.save(id, design, mark.revision, mark.note);
    // Another tab of this browser saving the same changes first is no conflict.
    if (!r.ok && same(r.theirs.save.design, stored(id))) return state().takeHubRevision(id, r.theirs.save.design, { revision: r.theirs.revision, savedBy: r.theirs.save.savedBy, savedAt: r.theirs.save.savedAt });
    if (!r.ok) return conflict(id, design, mark.revision, r.theirs);
    // What was typed while the save was on its way is still owed.
    const still = same(design, stored(id));
    setHubMark(id, { revision: r.revision, pending: !still, savedBy: { name: identity ?? UNNAMED_LOGIN }, savedAt: new Date().toISOString(), ...(still ? {} : mark.note ? { note: mark.note } : {}) });
    state().refreshDesigns();
  }

  async function pushAll(): Promise<void> {
    for (const id of hubRemovals()) {
      await hub.remove(id);
      removedOnHub(id);
    }
    for (const d of listDesigns()) await push(d.id);
  }

  /** A revision on the hub, as the list reports it or the watch brings it. */
  async function arrived(r: DesignRevision): Promise<void> {
    if (hubRemovals().includes(r.designId)) return;
    const local = stored(r.designId);
    const mark = hubMark(r.designId);
    const by = { revision: r.revision, savedBy: r.save.savedBy, savedAt: r.save.savedAt };
    if (local && mark.revision > r.revision) return;
    if (local && mark.revision === r.revision) {
      // This browser's own save coming back: the hub's word on who saved it and when.
      if (mark.savedAt !== r.save.savedAt || mark.savedBy?.key !== r.save.savedBy.key) setHubMark(r.designId, { ...mark, savedBy: r.save.savedBy, savedAt: r.save.savedAt });
      return state().refreshDesigns();
    }
    if (r.designId === state().designId) state().refreshDesigns(); // writes the open design's pending autosave, so `pending` below is true to it
    const owed = local !== null && hubMark(r.designId).pending && !same(r.save.design, stored(r.designId));
    if (!owed) return state().takeHubRevision(r.designId, r.save.design, by);
    await conflict(r.designId, stored(r.designId)!, mark.revision, r);
  }

  async function pullAll(): Promise<void> {
    for (const r of await hub.list()) await arrived(r);
  }

  run(async () => {
    await pullAll();
    await pushAll();
  });
  const stopWatch = hub.watch(
    (r) => run(() => arrived(r)),
    undefined,
    (id) =>
      run(async () => {
        // Deleted on the hub by someone: a copy with nothing owed goes too, unless it is open here
        // (then it stays, and goes back to the hub with its next change).
        if (id !== state().designId && !hubMark(id).pending) forgetDesign(id);
        state().refreshDesigns();
      }),
  );

  const pushSoon = () => {
    clearTimeout(settle);
    settle = setTimeout(() => run(pushAll), SETTLE_MS);
  };
  const unsubscribe = store.subscribe((s, before) => {
    // Leaving a design writes it at once; it is not edited here any more.
    if (s.designId !== before.designId) setTimeout(() => run(pushAll));
    else if (s.nodes !== before.nodes || s.edges !== before.edges || s.designName !== before.designName || s.designConflict !== before.designConflict) pushSoon();
    // Back after an outage: what the hub got meanwhile, then what is owed to it.
    if (s.hub.state === "connected" && before.hub.state !== "connected") run(async () => {
      await pullAll();
      await pushAll();
    });
  });
  // The page may be gone before the save is answered: the pending mark carries it to the next load.
  const leaving = () => run(pushAll);
  const hidden = () => document.visibilityState === "hidden" && leaving();
  addEventListener("visibilitychange", hidden);
  addEventListener("pagehide", leaving);

  return () => {
    stopped = true;
    clearTimeout(settle);
    unsubscribe();
    stopWatch();
    removeEventListener("visibilitychange", hidden);
    removeEventListener("pagehide", leaving);
  };
}
