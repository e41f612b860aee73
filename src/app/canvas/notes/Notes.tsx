import { memo, useState, type KeyboardEvent, type PointerEvent } from "react";
import { ViewportPortal, useStore, type ReactFlowState } from "@xyflow/react";
import { useShallow } from "zustand/react/shallow";
import { MAX_NOTE_TEXT } from "../../../core/design/label";
import { NOTE_COLORS, type DesignNote, type NoteColor, type Position } from "../../../core/design/types";
import { useAppStore } from "../../store";

/** Light papers with dark text, so a note reads the same whatever the canvas around it. */
const PAPER: Record<NoteColor, string> = {
  yellow: "border-amber-300 bg-amber-100",
  blue: "border-sky-300 bg-sky-100",
  green: "border-emerald-300 bg-emerald-100",
  pink: "border-pink-300 bg-pink-100",
  grey: "border-slate-300 bg-slate-100",
};

// An arrow key moves a note by this much (Shift: five times as far), so notes move without a mouse.
const KEY_STEP = 20;
const ARROWS: Record<string, Position> = { ArrowLeft: { x: -1, y: 0 }, ArrowRight: { x: 1, y: 0 }, ArrowUp: { x: 0, y: -1 }, ArrowDown: { x: 0, y: 1 } };

const zoomOf = (s: ReactFlowState) => s.transform[2];

/**
 * The design's sticky notes, in the canvas's own coordinates (they pan and zoom with it) but
 * outside React Flow's nodes: they take no part in connections, selection or layout.
 */
export const Notes = memo(function Notes() {
  const notes = useAppStore((s) => s.notes);
  return (
    <ViewportPortal>
      {notes.map((note, i) => (
        <NoteCard key={note.id} note={note} index={i + 1} />
      ))}
    </ViewportPortal>
  );
});

/** One note: a handle that moves it (drag, or arrow keys), its colour, its text and a way to remove it. */
const NoteCard = memo(function NoteCard({ note, index }: { note: DesignNote; index: number }) {
  const { editNote, removeNote } = useAppStore(useShallow((s) => ({ editNote: s.editNote, removeNote: s.removeNote })));
  const zoom = useStore(zoomOf);
  // While a drag lasts the note moves here only; the design takes the place once, when it ends: one undo step.
  const [drag, setDrag] = useState<{ pointer: Position; from: Position; at: Position } | null>(null);
  const at = drag?.at ?? note.position;
  const name = `Note ${index}`;

  const start = (e: PointerEvent) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ pointer: { x: e.clientX, y: e.clientY }, from: note.position, at: note.position });
  };
  const move = (e: PointerEvent) => {
    if (drag) setDrag({ ...drag, at: { x: drag.from.x + (e.clientX - drag.pointer.x) / zoom, y: drag.from.y + (e.clientY - drag.pointer.y) / zoom } });
  };
  const end = () => {
    if (drag && (drag.at.x !== drag.from.x || drag.at.y !== drag.from.y)) editNote(note.id, { position: drag.at });
    setDrag(null);
  };
  const nudge = (e: KeyboardEvent) => {
    const step = ARROWS[e.key];
    if (!step) return;
    e.preventDefault();
    const by = KEY_STEP * (e.shiftKey ? 5 : 1);
    editNote(note.id, { position: { x: note.position.x + step.x * by, y: note.position.y + step.y * by } });
  };

  return (
    <section
      aria-label={name}
      data-note-id={note.id}
      className={`nodrag nopan nowheel pointer-events-auto absolute w-52 rounded border text-xs text-slate-900 shadow ${PAPER[note.color]}`}
      style={{ transform: `translate(${at.x}px, ${at.y}px)` }}
    >
      <div className="flex items-center gap-1 border-b border-black/10 px-1 py-0.5">
        <button
          type="button"
          aria-label={`Move ${name.toLowerCase()}`}
          title="Drag, or use the arrow keys"
          className="flex-1 cursor-grab touch-none select-none text-left text-[10px] font-semibold uppercase tracking-wide text-slate-600 active:cursor-grabbing"
          onPointerDown={start}
          onPointerMove={move}
          onPointerUp={end}
          onPointerCancel={() => setDrag(null)}
          onKeyDown={nudge}
        >
          Note
        </button>
        <select aria-label="Note colour" className="rounded border border-black/10 bg-white/60 text-[10px]" value={note.color} onChange={(e) => editNote(note.id, { color: e.target.value as NoteColor })}>
          {NOTE_COLORS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <button type="button" aria-label="Remove note" title="Remove note" className="rounded px-1 text-slate-600 hover:bg-black/10" onClick={() => removeNote(note.id)}>
          ×
        </button>
      </div>
      <textarea
        aria-label="Note text"
        className="block h-24 w-full resize-none bg-transparent p-1.5 text-xs leading-snug outline-none focus:bg-white/40"
        maxLength={MAX_NOTE_TEXT}
        placeholder="Write a note…"
        value={note.text}
        onChange={(e) => editNote(note.id, { text: e.target.value })}
      />
    </section>
  );
});

/** Adds an empty note centred on `center` (flow coordinates) and puts the cursor in it. */
export function addNoteAt({ x, y }: Position): void {
  const id = useAppStore.getState().addNote({ x: x - 104, y: y - 60 });
  requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>(`[data-note-id="${CSS.escape(id)}"] textarea`)?.focus());
}

/** Adds an empty note in the middle of the view, where the person is looking. */
export function AddNoteButton({ className }: { className: string }) {
  return (
    <button type="button" className={className} onClick={() => addNoteAt(useAppStore.getState().viewCenter)}>
      Add note
    </button>
  );
}
