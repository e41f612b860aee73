import { AlchemistFailure, err } from "../core/errors";
import { browserPermissions, executorPermissions, isSubjectToken, type Permissions } from "../core/protocol";
import { parseFlags } from "./args";
import type { Command } from "./main";

const HELP = `usage: alchemist permissions --leaf-id ID [--js-domain hub] [--user NAME]
       alchemist permissions --browser [--leaves A,B] [--js-domain hub] [--user NAME]

Prints a NATS authorization entry: for the executor of one leaf (the subjects it must be
allowed to publish and subscribe to, and nothing for any other leaf), or for Alchemist in the
browser (send commands — to every leaf or the ones listed — and read the registry, the
summaries, the events and the stored files). Paste it into the hub's
authorization { users = [ … ] } and set the password (or use nkeys/JWTs instead).
`;

export const permissionsCommand: Command = {
  summary: "print the NATS permissions an executor needs",
  async run(argv) {
    const { values: v } = parseFlags("permissions", argv, {
      "leaf-id": { type: "string" },
      browser: { type: "boolean" },
      leaves: { type: "string" },
      "js-domain": { type: "string" },
      user: { type: "string" },
    });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const domain = (v["js-domain"] as string | undefined) ?? "hub";
    const token = (s: unknown, flag: string) => {
      if (!isSubjectToken(s)) throw new AlchemistFailure(err("E_USAGE", `${flag} must be letters, digits, "-" or "_", got "${String(s ?? "")}"`));
      return s;
    };
    let who: string;
    let p: Permissions;
    let user: string;
    if (v.browser) {
      const leaves = typeof v.leaves === "string" ? v.leaves.split(",").map((l) => token(l.trim(), "--leaves")) : "*";
      [who, p, user] = ["Alchemist in the browser", browserPermissions(domain, leaves), "alchemist-browser"];
    } else {
      const leafId = token(v["leaf-id"], "--leaf-id");
      [who, p, user] = [`the Alchemist executor of leaf ${leafId}`, executorPermissions(leafId, domain), `executor-${leafId}`];
    }
    const list = (xs: string[]) => xs.map((x) => `        ${JSON.stringify(x)}`).join(",\n");
    console.log(
      [
        `# NATS permissions for ${who}`,
        "{",
        `  user: ${JSON.stringify((v.user as string | undefined) ?? user)}`,
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
