import { describe, expect, it } from "vitest";
import { EditorState } from "@codemirror/state";
import type { DecorationSet } from "@codemirror/view";
import { nixSyntaxMarks } from "./syntaxMarks";

interface Mark {
  from: number;
  to: number;
  cls: string;
  title?: string;
}

const marks = (state: EditorState): Mark[] => {
  const out: Mark[] = [];
  const set: DecorationSet = state.field(nixSyntaxMarks);
  set.between(0, state.doc.length, (from, to, d) => {
    const spec = d.spec as { class: string; attributes?: { title: string } };
    out.push({ from, to, cls: spec.class, ...(spec.attributes ? { title: spec.attributes.title } : {}) });
  });
  return out;
};

const editor = (doc: string) => EditorState.create({ doc, extensions: [nixSyntaxMarks] });

describe("nix syntax marks", () => {
  it("marks nothing in valid Nix", () => {
    expect(marks(editor("{ config, ... }:\n{\n  networking.hostName = \"a\";\n}\n"))).toEqual([]);
  });

  it("marks the line and the token where the parser gives up, with line and column in the tooltip", () => {
    const doc = "{ config, ... }:\n{\n  networking.hostName = ;\n}\n";
    const state = editor(doc);
    const at = doc.indexOf(" ;") + 1;
    expect(marks(state)).toEqual([
      { from: doc.indexOf("  networking"), to: doc.indexOf("  networking"), cls: "cm-syntax-error-line", title: 'Line 3, column 25: unexpected ";"' },
      { from: at, to: at + 1, cls: "cm-syntax-error" },
    ]);
  });

  it("follows the text: a fix clears the marks, a new mistake marks its place", () => {
    const broken = editor("{\n  a = 1\n}\n");
    expect(marks(broken).length).toBeGreaterThan(0);
    const fixed = broken.update({ changes: { from: "{\n  a = 1".length, insert: ";" } }).state;
    expect(marks(fixed)).toEqual([]);
    const again = fixed.update({ changes: { from: fixed.doc.length, insert: "}" } }).state;
    expect(marks(again).map((m) => m.cls)).toContain("cm-syntax-error-line");
  });

  it("marks only the line when the file ends too early", () => {
    const state = editor("{\n  a = 1;\n");
    const found = marks(state);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ cls: "cm-syntax-error-line", title: expect.stringContaining("unexpected end of file") });
  });
});
