import { useRef, useState } from "react";

/**
 * What an input shows: what the person typed (a number field's text, a list's trailing blank
 * line, map rows in their order), for as long as the design still holds what that typing made
 * of it; the design's value otherwise (an undo, another node). `storedKey` identifies the
 * stored value (its JSON); the setter takes the draft and the key of what it stores.
 */
export function useDraft<T>(fromStored: T, storedKey: string): [T, (draft: T, keyAfter: string) => void] {
  const [draft, setDraft] = useState<{ shown: T; for: string } | null>(null);
  const shown = draft && draft.for === storedKey ? draft.shown : fromStored;
  return [shown, (next, keyAfter) => setDraft({ shown: next, for: keyAfter })];
}

/**
 * Keys for the rows of a list the person edits, so React keeps each row's own state (a
 * draft, the focus) with that row: removing row 1 must not hand row 2's text to the new row
 * 1, as index keys would. Rows added at the end get new keys; `removed(i)` is called just
 * before the row leaves the value. A list changed from outside (undo) is matched by position.
 */
export function useRowKeys(count: number): { keys: readonly number[]; removed: (index: number) => void } {
  const rows = useRef({ next: 0, keys: [] as number[] }).current;
  // Idempotent, so a second render of the same count (StrictMode) changes nothing.
  while (rows.keys.length < count) rows.keys.push(rows.next++);
  if (rows.keys.length > count) rows.keys.length = count;
  return { keys: [...rows.keys], removed: (index) => void rows.keys.splice(index, 1) };
}
