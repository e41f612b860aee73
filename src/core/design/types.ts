/**
 * The design file, version 2: what the editor saves, exports and imports, and what the CLI
 * compiles. `config` holds only the settings a person changed; the catalog supplies the rest.
 * Version 2 added node labels and notes, both for people only: the compiler reads neither.
 */

export const DESIGN_VERSION = 2;

export interface Position {
  readonly x: number;
  readonly y: number;
}

export interface DesignNode {
  readonly id: string;
  readonly kind: string;
  readonly position: Position;
  readonly config: Readonly<Record<string, unknown>>;
  /** A name of the person's for the node (its id is the design's); one line, absent when not given. */
  readonly label?: string;
}

/** The colours a note can take: names, so no file can put its own CSS on the canvas. */
export const NOTE_COLORS = ["yellow", "blue", "green", "pink", "grey"] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];

/** A sticky note on the canvas: text for people, no part of any flake. */
export interface DesignNote {
  readonly id: string;
  readonly text: string;
  readonly color: NoteColor;
  readonly position: Position;
}

/** `source → target`: the target builds on the source. */
export interface DesignEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

export interface Design {
  readonly version: typeof DESIGN_VERSION;
  readonly name: string;
  readonly nodes: readonly DesignNode[];
  readonly edges: readonly DesignEdge[];
  /** Absent when the design has none, as in a version 1 file. */
  readonly notes?: readonly DesignNote[];
  /**
   * The flake.lock each instance was last deployed with, by instance (host) id: its next
   * deployment sends it, so the leaf builds against the same pinned inputs. Absent until a
   * deployment returned one; not part of the design's hash.
   */
  readonly locks?: Readonly<Record<string, string>>;
}
