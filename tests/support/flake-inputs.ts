/**
 * Evaluating a generated flake.nix as a flake, with the real `nix` and nothing fetched: every
 * input is overridden with a local `path:` flake (`--override-input`), nixpkgs by a stand-in
 * whose `lib.nixosSystem` evaluates the modules with the module-system stub
 * (tests/fixtures/flake-inputs/nixpkgs). Flakes are copied into a store of the test's own
 * (`--store <dir>`), so nothing under /nix is touched.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import { compile } from "../../src/core/compile";
import type { Design } from "../../src/core/design/types";
import { formatDiagnostic } from "../../src/core/validate/diagnostic";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { list, printNix, str } from "../../src/core/nix";

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures");

/** The flake of a design written into `dir`; a design with errors throws them. */
export function writeCompiled(dir: string, design: Design): string {
  const { files, diagnostics } = compile(design);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map(formatDiagnostic).join("\n"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The nixpkgs stand-in in `dir`; `stubPackages` are the `pkgs.<name>` its stub also provides. */
export function fakeNixpkgs(dir: string, stubPackages: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(FIXTURES, "flake-inputs/nixpkgs/flake.nix"), join(dir, "flake.nix"));
  for (const file of ["lib.nix", "eval-modules.nix"]) copyFileSync(join(FIXTURES, "nix-stub", file), join(dir, file));
  writeFileSync(join(dir, "stub-packages.nix"), `${printNix(list(stubPackages.map(str)))}\n`);
  return dir;
}

/**
 * A flake in `dir` whose `packages.x86_64-linux.<name>` are stand-in derivations at
 * `/nix/store/fake-<folder name>-<name>`, and whose `nixosModules.<name>` are empty modules.
 */
export function fakeFlake(dir: string, { packages = [], modules = [] }: { packages?: readonly string[]; modules?: readonly string[] }): string {
  mkdirSync(dir, { recursive: true });
  const flake = dir.split("/").pop()!;
  const drvs = packages.map((n) => `${JSON.stringify(n)} = { type = "derivation"; name = ${JSON.stringify(n)}; outPath = "/nix/store/fake-${flake}-${n}"; };`);
  const mods = modules.map((n) => `${JSON.stringify(n)} = { };`);
  writeFileSync(join(dir, "flake.nix"), `{\n  outputs = { self }: {\n    packages.x86_64-linux = { ${drvs.join(" ")} };\n    nixosModules = { ${mods.join(" ")} };\n  };\n}\n`);
  return dir;
}

/** This repository's own flake (flake.nix and nix/) in `dir`, as the generated flakes' `alchemist` input. */
export function alchemistFlake(dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(FIXTURES, "../../flake.nix"), join(dir, "flake.nix"));
  cpSync(join(FIXTURES, "../../nix"), join(dir, "nix"), { recursive: true });
  return dir;
}

/** The arguments that make `nix eval` use the test's store and local inputs. */
export const localInputArgs = (store: string, inputs: Readonly<Record<string, string>>): string[] => [
  "--store", store,
  ...Object.entries(inputs).flatMap(([name, dir]) => ["--override-input", name, `path:${resolve(dir)}`]),
];

export type FlakeEval = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly stderr: string };

/**
 * `nix eval --json <flake>#<attr> --apply <apply>` with each input overridden by a local flake
 * (input name → directory). The flake's own lock file is neither read nor written.
 */
export function evalFlake(flakeDir: string, attr: string, options: { store: string; inputs: Readonly<Record<string, string>>; apply?: string }): FlakeEval {
  const env: NodeJS.ProcessEnv = { ...process.env, NIX_CONFIG: "build-users-group =" };
  delete env.NIX_REMOTE;
  delete env.NIX_PATH;
  const args = [
    "--extra-experimental-features", "nix-command flakes",
    "eval", "--json", "--no-write-lock-file", "--recreate-lock-file",
    `path:${resolve(flakeDir)}#${attr}`,
    ...localInputArgs(options.store, options.inputs),
    ...(options.apply ? ["--apply", options.apply] : []),
  ];
  const run = spawnSync("nix", args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return run.status === 0 ? { ok: true, value: JSON.parse(run.stdout) } : { ok: false, stderr: run.stderr };
}
