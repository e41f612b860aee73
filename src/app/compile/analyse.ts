import { diffLines } from "diff";
import { compile, type FlakeFiles } from "../../core/compile";
import type { Design } from "../../core/design/types";
import type { Analysis } from "../store/state";
import { checkNixSyntax } from "./nixSyntax";

/** What the compile worker is asked: the design, and the node whose output to point out. */
export interface AnalyseRequest {
  readonly design: Design;
  readonly emittedBy: string | null;
}

const options = { parseNix: checkNixSyntax };

/**
 * Diagnostics and files of a design and, for one node, the lines that exist only because of it:
 * the design is compiled again without that node and the two flakes are compared line by line.
 * When the design does not compile without the node (a domain's only NATS server), nothing is
 * pointed out.
 */
export function analyse({ design, emittedBy }: AnalyseRequest): Omit<Analysis, "nodes" | "edges" | "name" | "notes"> {
  const { files, diagnostics, designHash } = compile(design, options);
  const emitted = emittedBy && Object.keys(files).length > 0 ? linesOf(files, withoutNode(design, emittedBy)) : {};
  return { diagnostics, files, emitted, emittedBy, ...(designHash === undefined ? {} : { designHash }) };
}

const withoutNode = (design: Design, id: string): Design => ({
  ...design,
  nodes: design.nodes.filter((n) => n.id !== id),
  edges: design.edges.filter((e) => e.source !== id && e.target !== id),
});

function linesOf(files: FlakeFiles, reduced: Design): Record<string, number[]> {
  const other = compile(reduced, options).files;
  if (Object.keys(other).length === 0) return {};
  const out: Record<string, number[]> = {};
  for (const [path, text] of Object.entries(files)) {
    // The design file and the README always differ; what matters is the Nix.
    if (!path.endsWith(".nix")) continue;
    const lines: number[] = [];
    const source = text.split("\n");
    let line = 1;
    for (const part of diffLines(other[path] ?? "", text)) {
      const count = part.count ?? 0;
      // Comments carry the design's hash, which every change alters.
      if (part.added) for (let i = line; i < line + count; i++) if (!/^\s*#/.test(source[i - 1]!)) lines.push(i);
      if (!part.removed) line += count;
    }
    if (lines.length > 0) out[path] = lines;
  }
  return out;
}
