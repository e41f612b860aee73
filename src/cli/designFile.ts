import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { CompileOptions } from "../core/compile";
import { parseDesign, type LoadResult } from "../core/design/load";
import { AlchemistFailure, err, reasonOf } from "../core/errors";
import type { NixSyntaxCheck } from "../core/validate";
import { formatDiagnostic, type Diagnostic } from "../core/validate/diagnostic";
import { nativeSha256Hex } from "../executor/designHash";
import { parseFlags, type FlagSpec, type Flags } from "./args";

// What the commands that take a design file (validate, compile) share.

/**
 * Imported Nix files are checked with `nix-instantiate --parse` when Nix is installed; without
 * it the check is skipped (the rest of validation does not need Nix).
 */
export const nixInstantiateSyntax: NixSyntaxCheck = (source) => {
  const env: NodeJS.ProcessEnv = { ...process.env, NIX_CONFIG: "build-users-group =" };
  delete env.NIX_REMOTE;
  const run = spawnSync("nix-instantiate", ["--store", "dummy://", "--parse", "-"], { input: source, env, encoding: "utf8" });
  if (run.error || run.status === 0) return null;
  const lines = run.stderr.split("\n");
  const message = lines.find((l) => l.startsWith("error:"))?.slice("error:".length).trim() ?? run.stderr.trim();
  const at = /at «stdin»:(\d+):(\d+)/.exec(run.stderr);
  return { line: Number(at?.[1] ?? 0), column: Number(at?.[2] ?? 0), message };
};

/** How the CLI compiles: imported files checked by Nix, alchemist.json hashed natively. */
export const CLI_COMPILE: CompileOptions = { parseNix: nixInstantiateSyntax, sha256Hex: nativeSha256Hex };

/** Reads and checks a design file; a file that cannot be read is a usage failure. */
export function readDesign(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new AlchemistFailure(err("E_USAGE", `cannot read the design file ${file} (${reasonOf(e)})`));
  }
  return parseDesign(text, { parseNix: nixInstantiateSyntax });
}

/** `validate` prints its findings as its output; `compile` prints them beside its own. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], print: (line: string) => void = console.error): void {
  for (const d of diagnostics) print(formatDiagnostic(d));
}

/** Parses `FILE [options]`, with the one file as the only positional argument. */
export function parseCommandLine(command: string, argv: string[], options: FlagSpec): { file: string | undefined; values: Flags } {
  const { values, positionals } = parseFlags(command, argv, options, { max: 1, what: "one design file" });
  return { file: positionals[0], values };
}
