import { useEffect, useRef } from "react";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { EditorState, RangeSetBuilder, StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, EditorView, keymap, lineNumbers, type DecorationSet } from "@codemirror/view";
import { nix } from "@replit/codemirror-lang-nix";
import { nixSyntaxMarks } from "./syntaxMarks";

export interface CodeEditorProps {
  readonly value: string;
  /** The accessible name of the editor's text area. */
  readonly label: string;
  /** Editable when given; read-only otherwise. */
  readonly onChange?: (value: string) => void;
  /** 1-based lines to mark (what the selected node emitted); the first is scrolled into view. */
  readonly marked?: readonly number[];
  readonly invalid?: boolean;
}

const setMarked = StateEffect.define<readonly number[]>();
const markLine = Decoration.line({ class: "cm-emitted" });

const marks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update: (value, tr) => {
    for (const effect of tr.effects) {
      if (!effect.is(setMarked)) continue;
      const builder = new RangeSetBuilder<Decoration>();
      for (const line of [...effect.value].sort((a, b) => a - b)) {
        if (line <= tr.state.doc.lines) builder.add(tr.state.doc.line(line).from, tr.state.doc.line(line).from, markLine);
      }
      return builder.finish();
    }
    return value.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

// Colours from the app's palette (index.css), so the editor turns with the theme and its text
// keeps AA contrast in both; CodeMirror's default style is for a light background only.
const theme = EditorView.theme({
  "&": { fontSize: "12px", height: "100%", color: "var(--color-slate-900)" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--color-slate-900)" },
  ".cm-emitted": { backgroundColor: "var(--color-violet-100)" },
  ".cm-gutters": { backgroundColor: "var(--color-slate-50)", color: "var(--color-slate-600)", border: "none" },
  ".cm-syntax-error-line": { backgroundColor: "var(--color-red-50)" },
  ".cm-syntax-error": { textDecoration: "underline wavy var(--color-red-600)", textUnderlineOffset: "3px" },
});

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword], color: "var(--color-violet-700)" },
  { tag: [tags.bool, tags.null, tags.url], color: "var(--color-sky-800)" },
  { tag: [tags.literal, tags.number], color: "var(--color-emerald-800)" },
  { tag: tags.string, color: "var(--color-red-800)" },
  { tag: tags.comment, color: "var(--color-amber-800)" },
]);

/** CodeMirror 6 with Nix highlighting; loaded only when a Nix file is first shown. */
export default function CodeEditor({ value, label, onChange, marked, invalid }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const editable = changed.current !== undefined;
    const extensions: Extension[] = [
      lineNumbers(),
      nix(),
      syntaxHighlighting(highlight),
      marks,
      theme,
      EditorView.contentAttributes.of({ "aria-label": label }),
      EditorState.readOnly.of(!editable),
      EditorView.editable.of(editable),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) changed.current?.(u.state.doc.toString());
      }),
    ];
    if (editable) extensions.push(history(), keymap.of([...defaultKeymap, ...historyKeymap]), nixSyntaxMarks);
    view.current = new EditorView({ parent: host.current!, state: EditorState.create({ doc: value, extensions }) });
    return () => view.current?.destroy();
    // The editor is made once per label; value and marks flow in through the effects below.
  }, [label]);

  useEffect(() => {
    const v = view.current!;
    const current = v.state.doc.toString();
    if (current !== value) v.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current!;
    const lines = marked ?? [];
    const first = lines.length > 0 && lines[0]! <= v.state.doc.lines ? v.state.doc.line(Math.min(...lines)).from : null;
    v.dispatch({ effects: [setMarked.of(lines), ...(first !== null ? [EditorView.scrollIntoView(first, { y: "center" })] : [])] });
  }, [marked, value]);

  return <div ref={host} className={`h-full overflow-hidden rounded border bg-white ${invalid ? "border-red-400" : "border-slate-300"}`} />;
}
