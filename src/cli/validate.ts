import { AlchemistFailure, err } from "../core/errors";
import { hasErrors } from "../core/validate/diagnostic";
import type { Command } from "./command";
import { parseCommandLine, printDiagnostics, readDesign } from "./designFile";

const HELP = `usage: alchemist validate DESIGN.json [--json]

Checks a design file against the catalog and prints one line per problem:
  severity code node field: message
Exits 1 when there is an error.

options:
  --json   print { ok, diagnostics } as JSON instead
`;

export const validateCommand: Command = {
  summary: "check a design file and print its diagnostics",
  async run(argv) {
    const { file, values } = parseCommandLine("validate", argv, { json: { type: "boolean" } });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (!file) throw new AlchemistFailure(err("E_USAGE", "give the design file to check; see alchemist validate --help"));
    const { diagnostics } = readDesign(file);
    if (values.json) console.log(JSON.stringify({ ok: !hasErrors(diagnostics), diagnostics }, null, 2));
    else if (diagnostics.length === 0) console.log(`${file}: no problems`);
    else printDiagnostics(diagnostics, console.log);
    return hasErrors(diagnostics) ? 1 : 0;
  },
};
