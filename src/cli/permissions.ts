import { parseArgs } from "node:util";
import { AlchemistFailure, err } from "../core/errors";
import { executorPermissions, isSubjectToken } from "../core/protocol";
import { usageProblem, type Command } from "./main";

const HELP = `usage: alchemist permissions --leaf-id ID [--js-domain hub] [--user NAME]

Prints the NATS authorization entry for the executor of one leaf: the subjects it must be
allowed to publish and subscribe to (and nothing for any other leaf). Paste it into the
hub's authorization { users = [ … ] } and set the password (or use nkeys/JWTs instead).
`;

export const permissionsCommand: Command = {
  summary: "print the NATS permissions an executor needs",
  async run(argv) {
    let v: Record<string, string | boolean | undefined>;
    try {
      v = parseArgs({ args: argv, strict: true, options: { help: { type: "boolean", short: "h" }, "leaf-id": { type: "string" }, "js-domain": { type: "string" }, user: { type: "string" } } }).values;
    } catch (e) {
      throw new AlchemistFailure(err("E_USAGE", usageProblem(e, "permissions")));
    }
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const leafId = v["leaf-id"];
    if (!isSubjectToken(leafId)) throw new AlchemistFailure(err("E_USAGE", `--leaf-id must be letters, digits, "-" or "_", got "${String(leafId ?? "")}"`));
    const p = executorPermissions(leafId, (v["js-domain"] as string | undefined) ?? "hub");
    const list = (xs: string[]) => xs.map((x) => `        ${JSON.stringify(x)}`).join(",\n");
    console.log(
      [
        `# NATS permissions for the Alchemist executor of leaf ${leafId}`,
        "{",
        `  user: ${JSON.stringify((v.user as string | undefined) ?? `executor-${leafId}`)}`,
        `  password: "<set me>"`,
        "  permissions: {",
        `    publish: { allow: [\n${list(p.publish)}\n      ] }`,
        `    subscribe: { allow: [\n${list(p.subscribe)}\n      ] }`,
        "  }",
        "}",
      ].join("\n"),
    );
    return 0;
  },
};
