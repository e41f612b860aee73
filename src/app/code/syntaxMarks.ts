import { StateField, type Text } from "@codemirror/state";
import { Decoration, EditorView, type DecorationSet } from "@codemirror/view";
import { checkNixSyntax } from "../compile/nixSyntax";

const token = (text: string) => /^\S{1,20}/.exec(text)?.[0].length ?? 0;

/**
 * The place where the Nix parser gives up, marked in the text: the line, and the token at the
 * line and column the compiler reports (the same check, compile/nixSyntax.ts), with the
 * message as the line's tooltip.
 */
function marksOf(doc: Text): DecorationSet {
  const problem = checkNixSyntax(doc.toString());
  if (!problem) return Decoration.none;
  const line = doc.line(Math.min(problem.line, doc.lines));
  const from = Math.min(line.from + problem.column - 1, line.to);
  const to = from + token(doc.sliceString(from, line.to));
  const title = `Line ${problem.line}, column ${problem.column}: ${problem.message}`;
  const marks = [Decoration.line({ class: "cm-syntax-error-line", attributes: { title } }).range(line.from)];
  if (to > from) marks.push(Decoration.mark({ class: "cm-syntax-error" }).range(from, to));
  return Decoration.set(marks);
}

/** Nix syntax errors as marks in the editor, updated as the text changes. */
export const nixSyntaxMarks = StateField.define<DecorationSet>({
  create: (state) => marksOf(state.doc),
  update: (marks, tr) => (tr.docChanged ? marksOf(tr.state.doc) : marks),
  provide: (field) => EditorView.decorations.from(field),
});
