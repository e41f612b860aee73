/** Every keyboard shortcut, as the help sheet lists it and the handler matches it. */
export const SHORTCUTS = [
  { keys: "Ctrl+Z", does: "Undo" },
  { keys: "Ctrl+Shift+Z / Ctrl+Y", does: "Redo" },
  { keys: "Ctrl+C / Ctrl+V", does: "Copy and paste the selected nodes (with the connections among them)" },
  { keys: "Ctrl+A", does: "Select every node on the canvas (not the members a collapsed instance hides)" },
  { keys: "Delete / Backspace", does: "Remove the selection" },
  { keys: "Shift+click, Shift+drag", does: "Add to the selection, select an area" },
  { keys: "Ctrl+K", does: "Find a node by label, id or kind and centre it" },
  { keys: "Shift+F10 / Menu key, right-click", does: "Open the menu of the focused node (rename, duplicate, connect, delete, show its Nix, deploy), of the selection it is one of (duplicate, copy, disconnect, lay out, delete), of the focused edge (go to either end, delete) or of the canvas (add a node, paste, add a note)" },
  { keys: "↑ / ↓, Home / End, Enter, Escape", does: "In a menu or a find list: move, choose, close (the focus goes back where it was)" },
  { keys: "L", does: "Lay the graph out left to right" },
  { keys: "F", does: "Fit the design in view" },
  { keys: "?", does: "Show this sheet" },
] as const;

export type Command = "undo" | "redo" | "copy" | "paste" | "selectAll" | "layout" | "fit" | "help" | "find" | "menu";

/**
 * The command a key press asks for, or null. Keys typed into a field belong to the field, and
 * a modal dialog's keys to the dialog; only Ctrl+K (find) reaches out of a field, so a person
 * who just typed a setting can go on to another node.
 */
export function commandOf(e: KeyboardEvent): Command | null {
  const t = e.target as HTMLElement | null;
  if (t?.closest?.("dialog[open]")) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.shiftKey && !e.altKey && key === "k") return "find";
  if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return null;
  if (e.key === "ContextMenu" || (e.shiftKey && e.key === "F10")) return "menu";
  if (mod && key === "z") return e.shiftKey ? "redo" : "undo";
  if (mod && key === "y") return "redo";
  if (mod && key === "c") return "copy";
  if (mod && key === "v") return "paste";
  if (mod && key === "a") return "selectAll";
  if (mod || e.altKey) return null;
  if (key === "l") return "layout";
  if (key === "f") return "fit";
  if (e.key === "?") return "help";
  return null;
}
