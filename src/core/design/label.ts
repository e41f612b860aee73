/**
 * Node labels and note texts: words for people, shown in the editor and never written into Nix.
 * They are still read from files anyone can send, so the loader bounds them here and the editor
 * cleans what is typed the same way.
 */

export const MAX_LABEL = 100;
export const MAX_NOTE_TEXT = 2000;
export const MAX_NOTES = 1000;

// Control characters, unpaired surrogates, line separators and the bidirectional overrides,
// which can make a label read as another one ("redis" shown for "sider").
const UNSHOWN = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const UNSHOWN_ALL = new RegExp(UNSHOWN.source, "gu");
// A note is several lines: new lines and tabs are its own.
const UNSHOWN_IN_NOTE = /(?![\n\t])[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const UNSHOWN_IN_NOTE_ALL = new RegExp(UNSHOWN_IN_NOTE.source, "gu");

/** The first `max` code units, without half of a character cut at the end. */
function cut(s: string, max: number): string {
  const head = s.slice(0, max);
  const last = head.charCodeAt(head.length - 1);
  return s.length > max && last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

function textProblem(s: string, max: number, unshown: RegExp): string | null {
  if (s.length > max) return `expected at most ${max} characters, got ${s.length}`;
  const found = unshown.exec(s);
  return found ? `character ${codePoint(found[0])} at position ${found.index} cannot be shown; remove it` : null;
}

/** Why `s` cannot be a node's label, or null. */
export function labelProblem(s: string): string | null {
  if (s === "") return "expected a label, got an empty string (leave the key out for none)";
  return textProblem(s, MAX_LABEL, UNSHOWN);
}

/** Why `s` cannot be a note's text, or null. */
export const noteTextProblem = (s: string): string | null => textProblem(s, MAX_NOTE_TEXT, UNSHOWN_IN_NOTE);

/** A typed or pasted label made one a file may hold: what cannot be shown becomes a space, the rest is cut at the limit. */
export const cleanLabel = (typed: string): string => cut(typed.replace(UNSHOWN_ALL, " "), MAX_LABEL);

/** A typed note text made one a file may hold. */
export const cleanNoteText = (typed: string): string => cut(typed.replace(UNSHOWN_IN_NOTE_ALL, " "), MAX_NOTE_TEXT);

/** How a node is named to the person: its label with its id, or its id. */
export const nodeName = (node: { readonly id: string; readonly label?: string }): string => (node.label ? `${node.label} (${node.id})` : node.id);
