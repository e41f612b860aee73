import { err, formatError, isAlchemistFailure } from "../core/errors";
import type { Command } from "./command";
import { REAPER_COMMAND } from "./stack/reaper";

// Each command's module is loaded only when it is called, so `alchemist validate` does not pay
// for the local-stack code and vice versa.
const COMMANDS: Record<string, () => Promise<Command>> = {
  up: async () => (await import("./up")).upCommand,
  executor: async () => (await import("./executor")).executorCommand,
  permissions: async () => (await import("./permissions")).permissionsCommand,
  creds: async () => (await import("./creds")).credsCommand,
  compile: async () => (await import("./compile")).compileCommand,
  validate: async () => (await import("./validate")).validateCommand,
  deploy: async () => (await import("./deploy")).deployCommand,
  watch: async () => (await import("./watch")).watchCommand,
  history: async () => (await import("./history")).historyCommand,
  rollback: async () => (await import("./rollback")).rollbackCommand,
  stores: async () => (await import("./stores")).storesCommand,
};

// Started by `up` only, never by a person: not in the usage.
const INTERNAL: Record<string, () => Promise<Command>> = {
  [REAPER_COMMAND]: async () => (await import("./stack/reaper")).reaperCommand,
};

function usage(): string {
  return [
    "usage: alchemist <command> [options]",
    "",
    "commands:",
    ...Object.keys(COMMANDS).map((name) => `  ${name}`),
    "",
    "Run `alchemist <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : Object.hasOwn(INTERNAL, name) ? INTERNAL[name] : undefined;
  if (!load) {
    console.error(formatError(err("E_USAGE", `unknown command "${name}"; known commands: ${Object.keys(COMMANDS).join(", ")}`)));
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (e) {
    if (isAlchemistFailure(e)) {
      console.error(formatError(e.error));
      return 1;
    }
    throw e;
  }
}

