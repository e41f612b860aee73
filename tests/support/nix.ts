/**
 * Test helpers that prove generated Nix with the real Nix tools (`nix-instantiate` from
 * Debian's nix-bin). Spawning Nix costs ~100 ms on this machine, so the helpers batch: check
 * many strings in one evaluated list, parse many files in one process.
 *
 * Every call uses the `dummy://` store, so nothing is written to /nix and the helpers work
 * the same as root and as any other user.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { list, printNix, str } from "../../src/core/nix";

const STUB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/nix-stub");

export interface NixError {
  readonly message: string;
  /** 1-based position of the error when Nix reports one. */
  readonly line?: number;
  readonly column?: number;
  readonly file?: string;
}

export type NixParseResult = { readonly ok: true } | ({ readonly ok: false } & NixError);

function runNix(args: readonly string[], input?: string): { status: number; stdout: string; stderr: string } {
  // An empty build-users-group silences the warning about the missing nixbld group.
  const env: NodeJS.ProcessEnv = { ...process.env, NIX_CONFIG: "build-users-group =" };
  // A daemon socket or remote store from the environment would override `--store`.
  delete env.NIX_REMOTE;
  delete env.NIX_PATH;
  const result = spawnSync("nix-instantiate", ["--store", "dummy://", ...args], {
    input,
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Nix's message without the source excerpt, and the position it names. */
function toNixError(stderr: string): NixError {
  const lines = stderr.split("\n").filter((l) => !l.startsWith("warning:"));
  const message = lines.find((l) => l.startsWith("error:"))?.slice("error:".length).trim() ?? stderr.trim();
  const at = /^\s*at (.+):(\d+):(\d+):\s*$/m.exec(lines.join("\n"));
  if (at === null) return { message };
  const [, file = "", line = "0", column = "0"] = at;
  return { message, file, line: Number(line), column: Number(column) };
}

/** Parses Nix source like Nix does (syntax, and variables that are not in scope). */
export function nixParse(text: string): NixParseResult {
  const run = runNix(["--parse", "-"], text);
  return run.status === 0 ? { ok: true } : { ok: false, ...toNixError(run.stderr) };
}

/** `nix-instantiate --eval --strict --json` of an expression; throws with Nix's message on failure. */
export function nixEvalJson(exprText: string): unknown {
  const run = runNix(["--eval", "--strict", "--json", "-"], exprText);
  if (run.status !== 0) {
    const e = toNixError(run.stderr);
    throw new Error(`nix eval failed: ${e.message}${e.line ? ` at ${e.line}:${e.column}` : ""}\n${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

export interface ParsedFile {
  readonly file: string;
  readonly result: NixParseResult;
}

/** Every `.nix` file below `dir`, each parsed; one Nix process unless some fail. */
export function parseFiles(dir: string): ParsedFile[] {
  const files = listNixFiles(dir);
  const failed = new Map<string, NixParseResult>();
  let pending = files;
  // nix-instantiate stops at the first bad file and names it: drop it and go on with the rest.
  while (pending.length > 0) {
    const run = runNix(["--parse", ...pending]);
    if (run.status === 0) break;
    const error = toNixError(run.stderr);
    const bad = pending.find((f) => error.file === f) ?? pending[0];
    if (bad === undefined) break;
    failed.set(bad, { ok: false, ...error });
    pending = pending.filter((f) => f !== bad);
  }
  return files.map((file) => ({ file, result: failed.get(file) ?? { ok: true } }));
}

function listNixFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".nix"))
    .map((d) => resolve(d.parentPath, d.name))
    .sort();
}

/** A module given as Nix source text, or as a file (needed when it imports relative paths). */
export type NixModuleSource = string | { readonly file: string };

export interface EvalModuleOptions {
  /**
   * Extra `pkgs` attribute paths to stub (e.g. `"git"` for `with pkgs; [ git ]`). Paths
   * written as `pkgs.<name>` in the module files (imports included) are found without help.
   */
  readonly pkgs?: readonly string[];
  /** "ignore" skips `imports` (e.g. a hardware file importing `modulesPath`). Default "follow". */
  readonly imports?: "follow" | "ignore";
  /**
   * Checks the result as a whole NixOS system, failing where NixOS 24.11 would
   * (tests/fixtures/nix-stub/nixos-checks.nix and unfree.nix): no root file system, no boot
   * loader, sops or agenix secrets without a key source, `hardware.nvidia.open` unset, an
   * unfree package (CUDA, the NVIDIA driver) not allowed, and the modules' own `assertions`.
   */
  readonly nixos?: boolean;
}

/**
 * Evaluates NixOS modules against a stub of the module system and returns their merged
 * `config` as JSON — the way to check what a generated host module really sets without
 * nixpkgs (flake inputs cannot be fetched here).
 *
 * The stub (`tests/fixtures/nix-stub/`) gives modules `{ config, lib, pkgs, options,
 * modulesPath }` (a folder with nixpkgs' installer/scan/not-detected.nix). `config` is the real fixpoint: one module may read what another (or
 * itself) sets, and declared options fall back to their defaults. `lib` has the usual
 * helpers (`mkOption`, `mkEnableOption`, `mkIf`, `mkMerge`, `mkDefault`, `mkForce`,
 * `mkOverride`, `mkBefore`/`mkAfter`, `types.*`, `optionalAttrs`, `concatStringsSep`,
 * `mapAttrs`, …). Merging follows NixOS: `mkIf false` definitions are dropped, the highest
 * priority wins (`mkForce` over plain over `mkDefault` over option defaults), lists from
 * several modules are concatenated, `types.lines` are joined, and different values for one
 * plain option are an error. Each `pkgs.<name>` is a stub package whose store path is
 * `/nix/store/stub-<name>`; `pkgs.writeShellScript` & co. return stub packages too.
 *
 * Differences from NixOS: undeclared options are accepted (they are merged by the shape of
 * their values), types are not checked, and functions in the result appear as "<function>".
 */
export function evalModuleWithStub(
  modules: NixModuleSource | readonly NixModuleSource[],
  options: EvalModuleOptions = {},
): Record<string, unknown> {
  const sources = Array.isArray(modules) ? (modules as readonly NixModuleSource[]) : [modules as NixModuleSource];
  const tmp = mkdtempSync(join(tmpdir(), "alchemist-nix-"));
  try {
    const files = sources.map((m, i) => {
      if (typeof m !== "string") return resolve(m.file);
      const file = join(tmp, `module-${i}.nix`);
      writeFileSync(file, m);
      return file;
    });
    const expr = [
      `import ${nixPathLiteral(join(STUB_DIR, "eval-modules.nix"))} {`,
      `  modules = [ ${files.map(nixPathLiteral).join(" ")} ];`,
      `  pkgsPaths = ${printNix(list((options.pkgs ?? []).map(str)))};`,
      `  followImports = ${options.imports === "ignore" ? "false" : "true"};`,
      `  nixos = ${options.nixos ? "true" : "false"};`,
      `}`,
    ].join("\n");
    return nixEvalJson(expr) as Record<string, unknown>;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function nixPathLiteral(file: string): string {
  return `(/. + ${printNix(str(file))})`;
}
