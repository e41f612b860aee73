import { useSyncExternalStore } from "react";

/**
 * Which instances are collapsed on the canvas, per design, kept in this browser. Collapsing is a
 * way of looking at the design, like the zoom: it is not in the design file, so the compiler,
 * the hub and undo never see it, and another person opening the design sees it expanded.
 */

const KEY_PREFIX = "alchemist.collapsed.";
export const collapsedKey = (designId: string) => `${KEY_PREFIX}${designId}`;

const EMPTY: ReadonlySet<string> = new Set();

/** What the browser holds for a design; anything that is not a list of ids reads as nothing collapsed. */
export function parseCollapsed(raw: string | null): ReadonlySet<string> {
  if (raw === null) return EMPTY;
  try {
    const ids: unknown = JSON.parse(raw);
    return Array.isArray(ids) ? new Set(ids.filter((id): id is string => typeof id === "string")) : EMPTY;
  } catch {
    return EMPTY;
  }
}

const storage = (): Storage | undefined => (typeof localStorage === "undefined" ? undefined : localStorage);
const read = (designId: string): ReadonlySet<string> => {
  try {
    return parseCollapsed(storage()?.getItem(collapsedKey(designId)) ?? null);
  } catch {
    return EMPTY;
  }
};

const cache = new Map<string, ReadonlySet<string>>();
const listeners = new Set<() => void>();

/** The instances collapsed in design `designId`. */
export function collapsedIn(designId: string): ReadonlySet<string> {
  let set = cache.get(designId);
  if (!set) cache.set(designId, (set = read(designId)));
  return set;
}

/** Collapses or expands instance `instanceId` of design `designId`. */
export function setCollapsed(designId: string, instanceId: string, collapse: boolean): void {
  const now = new Set(collapsedIn(designId));
  if (collapse) now.add(instanceId);
  else now.delete(instanceId);
  cache.set(designId, now);
  try {
    if (now.size === 0) storage()?.removeItem(collapsedKey(designId));
    else storage()?.setItem(collapsedKey(designId), JSON.stringify([...now].sort()));
  } catch {
    // Storage refused: the canvas still shows it collapsed until the page is left.
  }
  for (const l of listeners) l();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useCollapsed = (designId: string) => useSyncExternalStore(subscribe, () => collapsedIn(designId));
