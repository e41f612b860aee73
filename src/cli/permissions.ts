import { AlchemistFailure, err } from "../core/errors";
import { identityName, inboxPrefixOf, isSubjectToken, permissionsFor, type Role } from "../core/protocol";
import { parseFlags } from "./args";
import type { Command } from "./command";

const HELP = `usage: alchemist permissions --leaf-id ID [--js-domain hub] [--user NAME]
       alchemist permissions --leaf-server ID [--js-domain hub] [--user NAME]
       alchemist permissions --browser [--leaves A,B] [--js-domain hub] [--user NAME]

Prints the NATS users entry of one identity, with exactly the permissions of its role:
  --leaf-id ID      the executor of leaf ID (its own commands, registry entry, summaries,
                    files and events, nothing of another leaf)
  --leaf-server ID  the hub-side user of leaf ID's leafnode connection (what its executor
                    does through it, and nothing else)
  --browser         a person (Alchemist in the browser): send commands — to every leaf or the
                    ones listed with --leaves — and read the registry, the summaries, the
                    events and the stored files
Paste it into the hub's authorization { users = [ … ] } (for --leaf-server: the
leafnodes { authorization { users = [ … ] } } block) and set the password. With
decentralized auth (operator, account, user JWTs) use \`alchemist creds\`, which puts the same
permissions into the user's JWT. Each identity reads replies only on its own inbox prefix,
printed with the entry; Alchemist's clients connect with it.
`;

export const permissionsCommand: Command = {
  summary: "print the NATS permissions of an executor, a leaf server or a person",
  async run(argv) {
    const { values: v } = parseFlags("permissions", argv, {
      "leaf-id": { type: "string" },
      "leaf-server": { type: "string" },
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
    const chosen = [v["leaf-id"] !== undefined, v["leaf-server"] !== undefined, v.browser === true].filter(Boolean).length;
    if (chosen !== 1) throw new AlchemistFailure(err("E_USAGE", "give exactly one of --leaf-id ID, --leaf-server ID or --browser (see alchemist permissions --help)"));
    let role: Role;
    let who: string;
    if (v.browser) {
      const leaves = typeof v.leaves === "string" ? v.leaves.split(",").map((l) => token(l.trim(), "--leaves")) : "*";
      // A person's user name is its identity: its inbox prefix is made from it.
      role = { role: "operator", name: token(v.user ?? "browser", "--user"), leaves };
      who = "a person (Alchemist in the browser)";
    } else if (v["leaf-server"] !== undefined) {
      role = { role: "leaf-server", leafId: token(v["leaf-server"], "--leaf-server") };
      who = `the leafnode connection of leaf ${role.leafId}'s NATS server`;
    } else {
      role = { role: "executor", leafId: token(v["leaf-id"], "--leaf-id") };
      who = `the Alchemist executor of leaf ${role.leafId}`;
    }
    const p = permissionsFor(role, domain);
    const inbox = role.role === "leaf-server" ? inboxPrefixOf(identityName({ role: "executor", leafId: role.leafId })) : inboxPrefixOf(identityName(role));
    const list = (xs: string[]) => xs.map((x) => `        ${JSON.stringify(x)}`).join(",\n");
    console.log(
      [
        `# NATS permissions for ${who}; replies on ${inbox}.>`,
        "{",
        `  user: ${JSON.stringify((v.user as string | undefined) ?? identityName(role))}`,
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
