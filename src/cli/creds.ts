import { join, resolve } from "node:path";
import { AlchemistFailure, err } from "../core/errors";
import type { Role } from "../core/protocol";
import { parseFlags, subjectTokenFlag } from "./args";
import { attrs, printNix, str } from "../core/nix";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hubTrustConfig, readCreds, revokeUser, type Authority } from "./auth/authority";
import { authDirOf, credsDirOf, loginLink, requireAuthority, stateIdentity } from "./auth/stateCreds";
import type { Command } from "./command";

const HELP = `usage: alchemist creds --leaf-id ID [--hub-leafnodes URL] [--state-dir DIR]
       alchemist creds --person NAME [--app-url URL] [--state-dir DIR]
       alchemist creds --hub-nix [--state-dir DIR]
       alchemist creds --revoke PUBLIC_KEY [--state-dir DIR]

Makes NATS credentials from the authority that \`alchemist up\` keeps in <state>/auth, into
<state>/creds (owner-only files). The hub needs no restart: it trusts every user its account signs.

  --leaf-id ID        a new leaf: leaf-ID.creds (its NATS server's link to the hub),
                      executor-ID.creds (its executor) and leaf-ID.conf (the leaf server's
                      settings: trust this hub, link to it); prints how to start both
  --hub-leafnodes URL where the leaf server reaches the hub's leafnode port; a comma list for
                      every member of a hub cluster (default nats-leaf://127.0.0.1:7422)
  --person NAME       a person at a browser (role operator): NAME.creds; prints the login link
                      and the public key to add to the executors' trusted keys
  --app-url URL       the web app the login link opens (default http://127.0.0.1:8080/)
  --hub-nix           print services.alchemist-hub.auth for a NixOS hub that trusts this
                      authority (public JWTs only: no seed is printed)
  --revoke KEY        revoke a user key (U…, as \`--person\` prints it): the hub refuses it once
                      it runs with the new account JWT (at the next \`alchemist up\`; on NixOS,
                      deploy the new --hub-nix block); its creds file here is removed, so the
                      identity gets a new key when it is made again
  --state-dir DIR     the state folder of the hub [ALCHEMIST_STATE_DIR] (default ./.alchemist)

Files that exist and are still valid for this hub are kept (delete one to get a new key).
`;

const q = (s: string) => JSON.stringify(s);

/**
 * The part of a leaf's nats-server configuration that joins it to this hub: it trusts the same
 * operator (so the executor on the leaf logs in with its own creds there too), links with the
 * leaf-server identity and binds that link to the CIM account.
 */
export function leafServerConfig(a: Authority, leafId: string, hubLeafnodes: readonly string[], leafCredsPath: string): string {
  return [
    `# Written by \`alchemist creds --leaf-id ${leafId}\`: the NATS server of leaf ${leafId}, joined to its hub.`,
    // Commands carry whole flakes and the executor stores them: the same limit as the hub's.
    "max_payload: 8MB",
    hubTrustConfig(a),
    "leafnodes {",
    // Every member of a hub cluster: the leaf server links to one and moves to another when it goes.
    `  remotes: [ { urls: [${hubLeafnodes.map(q).join(", ")}], credentials: ${q(leafCredsPath)}, account: ${q(a.account.publicKey)} } ]`,
    "}",
    "",
  ].join("\n");
}

/** `services.alchemist-hub.auth` for a NixOS hub that trusts this authority: public JWTs and keys only. */
export function hubNixAuth(a: Authority): string {
  return printNix(
    attrs({
      operatorJwt: str(a.operator.jwt),
      systemAccount: str(a.system.publicKey),
      accounts: attrs({ [a.account.publicKey]: str(a.account.jwt), [a.system.publicKey]: str(a.system.jwt) }),
    }),
  );
}

/** A person's name must not be taken for another role's identity: the name is also its inbox prefix. */
function personName(value: unknown): string {
  const name = subjectTokenFlag(value, "--person");
  if (name === "admin" || /^(executor|leaf)-/.test(name)) {
    throw new AlchemistFailure(err("E_USAGE", `--person "${name}" is the name of another role's identity (admin, executor-…, leaf-…); choose another name`));
  }
  return name;
}

function urlOption(value: unknown, flag: string, fallback: string, protocols: string[]): string {
  const raw = typeof value === "string" ? value : fallback;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol)) throw new AlchemistFailure(err("E_USAGE", `${flag} must be a ${protocols.map((p) => `${p}//`).join(" or ")} URL, got "${raw}"`));
  return raw;
}

async function revoke(stateDir: string, key: string): Promise<number> {
  if (!/^U[A-Z2-7]{55}$/.test(key)) throw new AlchemistFailure(err("E_USAGE", `--revoke takes a user public key (U and 55 more letters and digits 2–7), got "${key}"`));
  await revokeUser(authDirOf(stateDir), requireAuthority(stateDir), key);
  const dir = credsDirOf(stateDir);
  const removed: string[] = [];
  for (const f of (existsSync(dir) ? readdirSync(dir) : []).filter((n) => n.endsWith(".creds"))) {
    if ((await readCreds(join(dir, f)))?.identity.publicKey !== key) continue;
    rmSync(join(dir, f));
    removed.push(f);
  }
  console.log(
    [
      `Revoked ${key}${removed.length ? ` (removed ${removed.join(", ")})` : ""}.`,
      "  The hub refuses it once it runs with the new account JWT: restart alchemist up, or deploy the",
      "  block alchemist creds --hub-nix now prints to a NixOS hub.",
      `  Remove ${key} from the trusted keys of every executor, and make the identity again for a new key.`,
    ].join("\n"),
  );
  return 0;
}

const kept = (changed: boolean) => (changed ? "new" : "kept");

export const credsCommand: Command = {
  summary: "make NATS credentials for a new leaf or person from the local hub's authority",
  async run(argv) {
    const { values: v } = parseFlags("creds", argv, {
      "leaf-id": { type: "string" },
      person: { type: "string" },
      "hub-leafnodes": { type: "string" },
      "app-url": { type: "string" },
      "state-dir": { type: "string" },
      "hub-nix": { type: "boolean" },
      revoke: { type: "string" },
    });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if ([v["leaf-id"], v.person, v["hub-nix"], v.revoke].filter((x) => x !== undefined).length !== 1) {
      throw new AlchemistFailure(err("E_USAGE", "give exactly one of --leaf-id ID, --person NAME, --hub-nix or --revoke KEY; see alchemist creds --help"));
    }
    const stateDir = resolve((v["state-dir"] as string | undefined) ?? process.env.ALCHEMIST_STATE_DIR ?? ".alchemist");
    if (v.revoke !== undefined) return revoke(stateDir, String(v.revoke));
    if (v["hub-nix"]) {
      console.log(`# services.alchemist-hub.auth for a hub that trusts ${stateDir}'s authority (alchemist creds --hub-nix)\nservices.alchemist-hub.auth = ${hubNixAuth(requireAuthority(stateDir))};`);
      return 0;
    }
    const leafId = v["leaf-id"] === undefined ? undefined : subjectTokenFlag(v["leaf-id"], "--leaf-id");
    const person = v.person === undefined ? undefined : personName(v.person);
    const hubLeafnodes = String(v["hub-leafnodes"] ?? "nats-leaf://127.0.0.1:7422")
      .split(",")
      .map((u) => urlOption(u.trim(), "--hub-leafnodes", "", ["nats-leaf:", "tls:", "nats:"]));
    const appUrl = urlOption(v["app-url"], "--app-url", "http://127.0.0.1:8080/", ["http:", "https:"]);
    const authority = requireAuthority(stateDir);
    const dir = credsDirOf(stateDir);

    if (leafId !== undefined) {
      const server = await stateIdentity(stateDir, authority, { role: "leaf-server", leafId });
      const executor = await stateIdentity(stateDir, authority, { role: "executor", leafId });
      const conf = join(dir, `leaf-${leafId}.conf`);
      writeFileSync(conf, leafServerConfig(authority, leafId, hubLeafnodes, server.path), { mode: 0o600 });
      console.log(
        [
          `Credentials for leaf ${leafId} (in ${dir}):`,
          `  ${server.path}  (${kept(server.changed)})  the leaf's NATS server, its link to the hub (role leaf-server)`,
          `  ${executor.path}  (${kept(executor.changed)})  the leaf's executor (role executor)`,
          `  ${conf}  the leaf server's settings: trust this hub, link to ${hubLeafnodes.join(" or ")}`,
          "",
          "On the leaf, with the files copied there (owner-only, e.g. /etc/alchemist/; then change the credentials path in the .conf):",
          `  leaf server:  nats-server -a 127.0.0.1 -p 4222 -c leaf-${leafId}.conf   (or add include "leaf-${leafId}.conf" to its configuration)`,
          `  executor:     alchemist executor --leaf-id ${leafId} --servers nats://127.0.0.1:4222 --creds-file executor-${leafId}.creds`,
          "It also needs the trusted keys of the people who deploy to it (--trusted-keys); see docs/executor.md.",
        ].join("\n"),
      );
      return 0;
    }
    const role: Role = { role: "operator", name: person! };
    const made = await stateIdentity(stateDir, authority, role);
    console.log(
      [
        `Credentials for ${person} (role operator): ${made.path}  (${kept(made.changed)})`,
        `  log in: ${loginLink(appUrl, made.identity)}`,
        `          (or give ${person}.creds under Hub settings in the app)`,
        `  public key: ${made.identity.publicKey}`,
        `          (add "${made.identity.publicKey} ${person}" to the trusted keys of the executors ${person} may deploy to)`,
      ].join("\n"),
    );
    return 0;
  },
};
