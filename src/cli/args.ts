import { parseArgs } from "node:util";
import { AlchemistFailure, err, messageOf } from "../core/errors";
import { isSubjectToken } from "../core/protocol";

export type Flags = Record<string, string | boolean | string[] | undefined>;
/** `multiple`: the flag may be given more than once; its value is then the list of them. */
export type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/**
 * A command's flags (with --help), strictly: an unknown flag or a missing value is one
 * E_USAGE line naming the command, not parseArgs' several-line explanation.
 */
export function parseFlags(command: string, argv: string[], options: FlagSpec, positional?: { max: number; what: string }): { values: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: positional !== undefined, options: { help: { type: "boolean", short: "h" }, ...options } });
    if (positional && positionals.length > positional.max) throw new Error(`expected ${positional.what}, got ${positionals.length}`);
    return { values: values as Flags, positionals };
  } catch (e) {
    const first = messageOf(e).split("\n")[0]!.replace(/\.$/, "");
    throw new AlchemistFailure(err("E_USAGE", `${first}; see alchemist ${command} --help`));
  }
}

/** A flag's value that becomes a NATS subject token (a leaf id, an identity name), or E_USAGE naming the flag. */
export function subjectTokenFlag(value: unknown, flag: string): string {
  if (!isSubjectToken(value)) throw new AlchemistFailure(err("E_USAGE", `${flag} must be 1 to 128 letters, digits, "-" or "_" (it becomes a NATS subject token), got "${String(value ?? "")}"`));
  return value;
}
