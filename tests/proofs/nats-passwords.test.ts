import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../src/core/compile";
import type { Design } from "../../src/core/design/types";
import { evalModuleWithStub, parseFiles } from "../support/nix";
import { buildBootable as build } from "../support/hardware";

// NATS users' passwordFile: the password never enters the Nix store. systemd loads each file
// as a credential, the unit's preStart merges them into the settings with jq and the server
// runs on that runtime copy. Proven with nix-instantiate, the module-system stub and jq itself.

const root = mkdtempSync(join(tmpdir(), "alchemist-nats-passwords-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Quotes, `${`, `$`, a backslash and `%` (a systemd specifier): every one must arrive intact.
const NASTY_PATH = `/run/agenix/na"ts\${x}$y\\z%n'`;

const design = (kind: "nats-leaf" | "nats-hub", users: readonly Record<string, unknown>[]): Design =>
  build({ host: ["cim-instance", { id: "cim-1" }], nats: [kind, { users }] }, [["nats", "host"]]);

const USERS = [
  { user: "agent", passwordFile: NASTY_PATH, publish: ["agent.>"] },
  { user: "viewer", subscribe: ["events.>"] },
  { user: "ops", passwordFile: "/run/secrets/nats-ops" },
];

function hostModuleFile(d: Design, name: string): string {
  const { files, diagnostics } = compile(d);
  expect(diagnostics.filter((x) => x.severity === "error")).toEqual([]);
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return join(dir, "hosts/cim-1/default.nix");
}

type Unit = { preStart: string; serviceConfig: Record<string, unknown> };
const natsUnit = (config: Record<string, unknown>): Unit =>
  (config as { systemd: { services: { nats: Unit } } }).systemd.services.nats;
const natsSettings = (config: Record<string, unknown>): Record<string, unknown> =>
  (config as { services: { nats: { settings: Record<string, unknown> } } }).services.nats.settings;

describe("NATS users with a passwordFile", () => {
  it("are accepted; a path systemd would not load as a credential is refused", () => {
    expect(compile(design("nats-leaf", USERS)).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    for (const bad of ["/run//x", "/run/./x", "/run/../x", "/run/x/", "/run/x/.."]) {
      const { files, diagnostics } = compile(design("nats-hub", [{ user: "a", passwordFile: bad }]));
      expect(files).toEqual({});
      expect(diagnostics.map((d) => [d.code, d.field])).toContainEqual(["E_FIELD", "users[0].passwordFile"]);
    }
  });

  it("leave the unit alone when no user has one", () => {
    const { files } = compile(design("nats-leaf", [{ user: "viewer" }]));
    expect(files["hosts/cim-1/default.nix"]).not.toMatch(/preStart|LoadCredential|ExecStart/);
  });

  it.each(["nats-leaf", "nats-hub"] as const)("%s: parses, and evaluates to credentials, a preStart and the runtime config", (kind) => {
    const file = hostModuleFile(design(kind, USERS), kind);
    expect(parseFiles(dirname(file)).map((p) => p.result)).toEqual([{ ok: true }]);
    expect(readFileSync(file, "utf8")).not.toMatch(/^\s*password = /m);

    const config = evalModuleWithStub({ file });
    const unit = natsUnit(config);
    expect(unit.serviceConfig.LoadCredential).toEqual([`nats-user-0:${NASTY_PATH.replace("%", "%%")}`, "nats-user-2:/run/secrets/nats-ops"]);
    expect(unit.serviceConfig.ExecStart).toBe("/nix/store/stub-nats-server/bin/nats-server -c /run/nats/nats.conf");
    expect(unit.serviceConfig.RuntimeDirectory).toBe("nats");
    expect(unit.preStart).toContain("/nix/store/stub-jq/bin/jq");
    expect(unit.preStart).toContain('--rawfile p0 "$CREDENTIALS_DIRECTORY/nats-user-0"');
    expect(unit.preStart).toContain('--rawfile p2 "$CREDENTIALS_DIRECTORY/nats-user-2"');
    expect(unit.preStart).toContain("> /run/nats/nats.conf");
    // What the store holds: the settings, users without passwords.
    expect(JSON.stringify(natsSettings(config))).not.toContain("password");
  });

  it("the preStart script, run with the real jq, writes the settings plus each password, readable by its owner only", () => {
    const jq = spawnSync("sh", ["-c", "command -v jq"], { encoding: "utf8" }).stdout.trim();
    expect(jq, "jq is needed on the test machine").not.toBe("");
    const config = evalModuleWithStub({ file: hostModuleFile(design("nats-leaf", USERS), "run") });
    const { preStart } = natsUnit(config);
    const dir = mkdtempSync(join(root, "run-"));
    const credentials = join(dir, "credentials");
    mkdirSync(credentials);
    // A final newline (as `echo` writes) is dropped; everything else, quotes and `${` included, is kept.
    const passwords = { 0: `p"a\\ss'\${w}$o 'rd\t中😀`, 2: "$2a$11$abcdefghijklmnopqrstuv" };
    writeFileSync(join(credentials, "nats-user-0"), `${passwords[0]}\n`);
    writeFileSync(join(credentials, "nats-user-2"), passwords[2]);
    const out = join(dir, "nats.conf");
    const script = preStart.replaceAll("/nix/store/stub-jq/bin/jq", jq).replaceAll("/run/nats/nats.conf", out);
    const run = spawnSync("bash", ["-e", "-c", script], {
      env: { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: credentials },
      // Not a socket on stdin: bash would take itself for an rsh session and read ~/.bashrc.
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);

    const written = JSON.parse(readFileSync(out, "utf8")) as { authorization: { users: Record<string, unknown>[] } };
    const settings = natsSettings(config) as { authorization: { users: Record<string, unknown>[] } };
    expect(written.authorization.users.map((u) => u.password)).toEqual([passwords[0], undefined, passwords[2]]);
    const withoutPasswords = { ...written, authorization: { users: written.authorization.users.map(({ password: _, ...u }) => u) } };
    expect(withoutPasswords).toEqual(settings);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});
