/** Every keyboard shortcut, as the help sheet lists it and the handler matches it. */
export const SHORTCUTS = [
  { keys: "Ctrl+Z", does: "Undo" },
  { keys: "Ctrl+Shift+Z / Ctrl+Y", does: "Redo" },
  { keys: "Ctrl+C / Ctrl+V", does: "Copy and paste the selected nodes (with the connections among them)" },
  { keys: "Ctrl+A", does: "Select every node" },
  { keys: "Delete / Backspace", does: "Remove the selection" },
  { keys: "Shift+click, Shift+drag", does: "Add to the selection, select an area" },
  { keys: "L", does: "Lay the graph out left to right" },
  { keys: "F", does: "Fit the design in view" },
  { keys: "?", does: "Show this sheet" },
] as const;

export type Command = "undo" | "redo" | "copy" | "paste" | "selectAll" | "layout" | "fit" | "help";

/** The command a key press asks for, or null. Keys typed into a field belong to the field. */
export function commandOf(e: KeyboardEvent): Command | null {
  const t = e.target as HTMLElement | null;
  if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
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
