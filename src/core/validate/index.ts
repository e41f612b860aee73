import type { Design } from "../design/types";
import { analyze, type Analysis } from "./analyze";
import { sortDiagnostics, type Diagnostic } from "./diagnostic";
import { checkInstance, type NixSyntaxCheck } from "./instance-rules";

export interface ValidateOptions {
  /** Checks imported Nix files; see `NixSyntaxCheck`. */
  readonly parseNix?: NixSyntaxCheck;
}

/**
 * Every rule of the catalog, as diagnostics sorted errors first. A node shared by several
 * instances is reported once per problem, not once per instance.
 */
export function validate(design: Design, options: ValidateOptions = {}): Diagnostic[] {
  return diagnosticsOf(analyze(design), options);
}

/** The diagnostics of a design already analysed (the compiler analyses once for both). */
export function diagnosticsOf(analysis: Analysis, options: ValidateOptions = {}): Diagnostic[] {
  const all = [...analysis.diagnostics, ...analysis.instances.flatMap((i) => checkInstance(i.view, options.parseNix))];
  const seen = new Set<string>();
  return sortDiagnostics(all).filter((d) => {
    const key = JSON.stringify([d.severity, d.code, d.nodeId, d.field, d.path, d.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export type { Diagnostic, NixSyntaxCheck };
export type { NixSyntaxError } from "./instance-rules";
