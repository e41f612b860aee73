import type { ErrorCode } from "../errors";
import { compare } from "../order";

/**
 * What validation, loading and compiling report: a value, never an exception. `nodeId` and
 * `field` let the editor put the message on the node and the input, `edgeId` on an edge;
 * `path` names the place in the design file (`nodes[3].config.port`, `edges[0]`).
 */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly code: ErrorCode;
  readonly message: string;
  readonly nodeId?: string;
  readonly field?: string;
  readonly edgeId?: string;
  readonly path?: string;
}

type Place = Pick<Diagnostic, "nodeId" | "field" | "edgeId" | "path">;

export const error = (code: ErrorCode, message: string, place: Place = {}): Diagnostic => ({
  severity: "error",
  code,
  message,
  ...place,
});

export const warning = (code: ErrorCode, message: string, place: Place = {}): Diagnostic => ({
  severity: "warning",
  code,
  message,
  ...place,
});

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === "error");

/** One line, as the CLI prints it: `severity code node field: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path ? `${d.path}: ` : "";
  return `${d.severity} ${d.code} ${d.nodeId ?? "-"} ${d.field ?? "-"}: ${where}${d.message}`;
}

const rank = (d: Diagnostic): string =>
  [d.severity === "error" ? "0" : "1", d.nodeId ?? "", d.field ?? "", d.edgeId ?? "", d.code, d.message].join("\u0000");

/** Errors first, then by node, field and code, so reports read the same on every run. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return list
    .map((d) => ({ d, key: rank(d) }))
    .sort((a, b) => compare(a.key, b.key))
    .map(({ d }) => d);
}
