import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { makeDirs } from "./dirs";
import { compile } from "../core/compile";
import { AlchemistFailure, err, reasonOf } from "../core/errors";
import { hasErrors } from "../core/validate/diagnostic";
import type { Command } from "./command";
import { CLI_COMPILE, parseCommandLine, printDiagnostics, readDesign } from "./designFile";
import { DESIGN_FILE } from "../core/compile/paths";

const HELP = `usage: alchemist compile DESIGN.json --out DIR

Compiles a design into a Nix flake in DIR. Nothing is written when the design has errors;
they are printed instead and the exit code is 1.

DIR must be empty, new, or an earlier output of alchemist compile (it holds alchemist.json):
then the generated files are replaced and everything else (e.g. secrets/) is kept.
`;

// What an earlier compile wrote, removed before writing so that deleted hosts do not linger.
const GENERATED = ["flake.nix", DESIGN_FILE, "README.md", "modules", "hosts"];

export const compileCommand: Command = {
  summary: "compile a design file into a Nix flake",
  async run(argv) {
    const { file, values } = parseCommandLine("compile", argv, { out: { type: "string", short: "o" } });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const out = values.out;
    if (!file || typeof out !== "string") {
      throw new AlchemistFailure(err("E_USAGE", "give the design file and --out DIR; see alchemist compile --help"));
    }
    const loaded = readDesign(file);
    const result = loaded.design ? compile(loaded.design, CLI_COMPILE) : { files: {}, diagnostics: loaded.diagnostics };
    printDiagnostics(result.diagnostics);
    if (hasErrors(result.diagnostics)) {
      console.error(`${file}: not compiled; fix the errors above`);
      return 1;
    }
    writeFlake(resolve(out), result.files);
    console.log(`wrote ${Object.keys(result.files).length} files to ${out}`);
    return 0;
  },
};

function writeFlake(root: string, files: Readonly<Record<string, string>>): void {
  if (existsSync(root)) {
    const entries = readdirSync(root);
    if (entries.length > 0 && !entries.includes(DESIGN_FILE)) {
      throw new AlchemistFailure(err("E_OUT_DIR", `${root} is not empty and not an earlier alchemist compile output; choose a new or empty folder`));
    }
    for (const name of GENERATED) rmSync(resolve(root, name), { recursive: true, force: true });
  }
  for (const [path, text] of Object.entries(files)) {
    const target = resolve(root, path);
    // Paths come from validated ids and file names; this guards the guarantee, not the input.
    if (relative(root, target).startsWith("..")) throw new AlchemistFailure(err("E_OUT_DIR", `refusing to write outside ${root}: ${path}`));
    try {
      makeDirs(dirname(target));
      writeFileSync(target, text);
    } catch (e) {
      throw new AlchemistFailure(err("E_OUT_DIR", `cannot write ${target} (${reasonOf(e)})`));
    }
  }
}
