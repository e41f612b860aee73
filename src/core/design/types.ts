/**
 * The design file, version 1: what the editor saves, exports and imports, and what the CLI
 * compiles. `config` holds only the settings a person changed; the catalog supplies the rest.
 */

export const DESIGN_VERSION = 1;

export interface Position {
  readonly x: number;
  readonly y: number;
}

export interface DesignNode {
  readonly id: string;
  readonly kind: string;
  readonly position: Position;
  readonly config: Readonly<Record<string, unknown>>;
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
  /**
   * The flake.lock each instance was last deployed with, by instance (host) id: its next
   * deployment sends it, so the leaf builds against the same pinned inputs. Absent until a
   * deployment returned one; not part of the design's hash.
   */
  readonly locks?: Readonly<Record<string, string>>;
}
