import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthority, type Authority } from "../../src/cli/auth/authority";
import { hubNixAuth } from "../../src/cli/creds";
import { evalModuleWithStub } from "../support/nix";
import { REPO } from "../support/stack";

const EXECUTOR = { file: `${REPO}nix/modules/alchemist-executor.nix` };
const HUB = { file: `${REPO}nix/modules/alchemist-hub.nix` };
// What NixOS itself provides and the modules read.
const HOST = `{ networking.hostName = "leaf-host"; system.build.nixos-rebuild = "/nix/store/stub-nixos-rebuild"; nix.package = "/nix/store/stub-nix"; systemd.package = "/nix/store/stub-systemd"; }`;

type Service = { environment: Record<string, string>; serviceConfig: Record<string, unknown>; path: string[]; wantedBy: string[]; after: string[] };
const KEY = "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4";
const KEY2 = "UBVHYHWN4P7WPJ2PXDMN7VXL3LTM36OQTGWBRBHTHOAP6TZX5NRNYTE5";
type Assertion = { assertion: boolean; message: string };
const failedAssertions = (config: Record<string, unknown>) => ((config.assertions ?? []) as Assertion[]).filter((a) => !a.assertion).map((a) => a.message);
const service = (config: Record<string, unknown>) => (config.systemd as { services: Record<string, Service> }).services["alchemist-executor"]!;

describe("nix/modules/alchemist-executor.nix, evaluated with the module-system stub", () => {
  it("runs `alchemist executor` with the leaf's settings in its environment", () => {
    const config = evalModuleWithStub([
      EXECUTOR,
      HOST,
      `{ services.alchemist-executor = { enable = true; package = "/nix/store/stub-alchemist"; leafId = "leaf-01"; trustedKeys = [ "${KEY} alice" "${KEY2}" ]; natsUrl = "tls://leaf.example.com:4222"; instances = [ "cim-prod-001" "cim-prod-002" ]; }; }`,
    ]);
    const s = service(config);
    expect(s.serviceConfig.ExecStart).toBe("/nix/store/stub-alchemist/bin/alchemist executor");
    expect(s.environment).toEqual({
      NATS_URL: "tls://leaf.example.com:4222",
      ALCHEMIST_LEAF_ID: "leaf-01",
      ALCHEMIST_JS_DOMAIN: "hub",
      ALCHEMIST_WORK_DIR: "/var/lib/alchemist-executor",
      ALCHEMIST_INSTANCES: "cim-prod-001,cim-prod-002",
      ALCHEMIST_TRUSTED_KEYS: `${KEY} alice,${KEY2}`,
      ALCHEMIST_KEEP_DEPLOYMENTS: "20",
    });
    expect(failedAssertions(config)).toEqual([]);
    expect(s.path).toEqual(["/nix/store/stub-nixos-rebuild", "/nix/store/stub-nix", "/nix/store/stub-systemd"]);
    expect(s.serviceConfig).toMatchObject({ User: "root", Restart: "on-failure", NoNewPrivileges: true, PrivateTmp: true, KillMode: "control-group" });
    expect(s.serviceConfig.ProtectSystem).toBeUndefined();
    expect(s.wantedBy).toEqual(["multi-user.target"]);
  });

  it("runs the boot check (alchemist-rollback) before the executor, with the executor's settings, only for a root executor", () => {
    const settings = `enable = true; package = "/nix/store/stub-alchemist"; leafId = "leaf-01"; trustedKeys = [ "${KEY}" ]`;
    const config = evalModuleWithStub([EXECUTOR, HOST, `{ services.alchemist-executor = { ${settings}; }; }`]);
    const services = (config.systemd as { services: Record<string, Service & { before: string[]; restartIfChanged: boolean }> }).services;
    const check = services["alchemist-rollback"]!;
    expect(check.serviceConfig).toMatchObject({ Type: "oneshot", ExecStart: "/nix/store/stub-alchemist/bin/alchemist executor --recover-only" });
    expect(check.environment).toEqual(service(config).environment);
    expect(check.before).toEqual(["alchemist-executor.service"]);
    expect(service(config).after).toContain("alchemist-rollback.service");
    expect(check.wantedBy).toEqual(["multi-user.target"]);
    // nix-env, for setting the system profile back.
    expect(check.path).toEqual(["/nix/store/stub-nix"]);
    const builder = evalModuleWithStub([EXECUTOR, HOST, `{ services.alchemist-executor = { ${settings}; user = "alchemist"; }; }`]);
    expect((builder.systemd as { services: Record<string, unknown> }).services["alchemist-rollback"]).toBeUndefined();
  });

  it("passes a credentials file through LoadCredential, never through the store", () => {
    const s = service(
      evalModuleWithStub([EXECUTOR, HOST, `{ services.alchemist-executor = { enable = true; package = "/nix/store/stub-alchemist"; leafId = "leaf-02"; trustedKeys = [ "${KEY}" ]; credentialsFile = "/run/secrets/leaf.creds"; }; }`]),
    );
    expect(s.environment.NATS_CREDS).toBe("%d/nats.creds");
    expect(s.environment.ALCHEMIST_INSTANCES).toBe("*");
    expect(s.serviceConfig.LoadCredential).toEqual(["nats.creds:/run/secrets/leaf.creds"]);
  });

  it("an unprivileged user gets a system account and ProtectSystem=strict", () => {
    const config = evalModuleWithStub([EXECUTOR, HOST, `{ services.alchemist-executor = { enable = true; package = "/nix/store/stub-alchemist"; leafId = "builder"; user = "alchemist"; }; }`]);
    expect(service(config).serviceConfig).toMatchObject({ User: "alchemist", ProtectSystem: "strict", ReadWritePaths: ["/var/lib/alchemist-executor"] });
    expect((config.users as { users: Record<string, unknown> }).users.alchemist).toMatchObject({ isSystemUser: true, group: "alchemist" });
  });

  it("does nothing when not enabled", () => {
    // (leafId and package are set because the stub forces leaf values before it drops an inactive mkIf; NixOS does not.)
    const config = evalModuleWithStub([EXECUTOR, HOST, `{ services.alchemist-executor = { leafId = "idle"; package = "/nix/store/stub-alchemist"; }; }`]);
    expect((config.systemd as { services?: Record<string, unknown> } | undefined)?.services?.["alchemist-executor"]).toBeUndefined();
  });

  it("refuses to run nothing, and a credentials file in the Nix store", () => {
    const messages = failedAssertions(
      evalModuleWithStub([EXECUTOR, HOST, `{ services.alchemist-executor = { enable = true; package = "/nix/store/stub-alchemist"; leafId = "leaf-03"; credentialsFile = "/nix/store/abc-leaf.creds"; }; }`]),
    );
    expect(messages).toHaveLength(2);
    expect(messages.join("\n")).toMatch(/credentialsFile must be an absolute path outside the Nix store/);
    expect(messages.join("\n")).toMatch(/trustedKeys is empty/);
  });
});

type NatsSettings = Record<string, unknown> & { websocket?: Record<string, unknown>; leafnodes?: Record<string, unknown>; tls?: Record<string, unknown> };
type HubConfig = {
  assertions: Assertion[];
  services: { nats: { enable: boolean; serverName: string; port: number; jetstream: boolean; validateConfig?: boolean; settings: NatsSettings } };
  systemd?: { services?: { nats?: { serviceConfig?: { LoadCredential?: string[] } } } };
  networking: { firewall: { allowedTCPPorts: number[] } };
};

/** Debian's nats-server checks the settings the module hands to services.nats (written as JSON, as NixOS does). */
function natsServerCheck(settings: NatsSettings, dir: string): { ok: boolean; output: string } {
  const file = join(dir, "nats.json");
  writeFileSync(file, JSON.stringify({ ...settings, jetstream: { ...(settings.jetstream as object), store_dir: join(dir, "js") } }));
  const r = spawnSync("nats-server", ["-t", "-c", file], { encoding: "utf8" });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

describe("nix/modules/alchemist-hub.nix", () => {
  let authority: Authority;
  let auth: string;
  const dir = mkdtempSync(join(tmpdir(), "alchemist-hub-module-"));
  beforeAll(async () => {
    authority = await createAuthority();
    // What `alchemist creds --hub-nix` prints for the operator to paste.
    auth = `auth = ${hubNixAuth(authority)};`;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hub = (settings: string) => evalModuleWithStub([HUB, HOST, `{ services.alchemist-hub = { enable = true; ${auth} ${settings} }; }`]) as unknown as HubConfig;

  it("trusts the operator only, restricts WebSocket origins, and nats-server accepts the result", () => {
    const config = hub(`openFirewall = true; allowPlaintext = true; websocket.allowedOrigins = [ "https://alchemist.example.com" ];`);
    expect(failedAssertions(config as never)).toEqual([]);
    const nats = config.services.nats;
    expect(nats).toMatchObject({ enable: true, serverName: "leaf-host", port: 4222, jetstream: true });
    expect(nats.settings).toMatchObject({
      http: "127.0.0.1:8222",
      max_payload: 8 * 1024 * 1024,
      max_control_line: 64 * 1024,
      jetstream: { domain: "hub" },
      operator: authority.operator.jwt,
      system_account: authority.system.publicKey,
      resolver: "MEMORY",
      leafnodes: { port: 7422 },
      websocket: { port: 9222, no_tls: true, allowed_origins: ["https://alchemist.example.com"] },
    });
    expect(Object.keys(nats.settings.resolver_preload as object).sort()).toEqual([authority.account.publicKey, authority.system.publicKey].sort());
    expect(config.networking.firewall.allowedTCPPorts).toEqual([4222, 9222, 7422]);
    const checked = natsServerCheck(nats.settings, dir);
    expect(checked.output).toMatch(/configuration file .* is valid/);
    expect(checked.ok).toBe(true);
  });

  it("serves every listener with TLS from runtime paths handed over by LoadCredential", () => {
    const config = hub(`websocket.allowedOrigins = [ "https://a.example" ]; tls = { certFile = "/var/lib/acme/hub/cert.pem"; keyFile = "/var/lib/acme/hub/key.pem"; };`);
    expect(failedAssertions(config as never)).toEqual([]);
    const s = config.services.nats.settings;
    const block = { cert_file: "/run/credentials/nats.service/hub.crt", key_file: "/run/credentials/nats.service/hub.key" };
    expect(s.tls).toEqual(block);
    expect(s.websocket).toEqual({ port: 9222, allowed_origins: ["https://a.example"], tls: block });
    expect(s.leafnodes).toEqual({ port: 7422, tls: block });
    expect(config.systemd?.services?.nats?.serviceConfig?.LoadCredential).toEqual(["hub.crt:/var/lib/acme/hub/cert.pem", "hub.key:/var/lib/acme/hub/key.pem"]);
    // The server's configuration (a store file) names only the copies; the build-time check that could not read them is off.
    expect(JSON.stringify(config.services.nats)).not.toContain("/var/lib/acme");
    expect(config.services.nats.validateConfig).toBe(false);

    // At build time the copies do not exist, which is why the module turns the build-time check off…
    expect(natsServerCheck(s, dir).ok).toBe(false);
    // …and with the credentials where systemd puts them, nats-server accepts the configuration.
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hub", "-keyout", join(dir, "hub.key"), "-out", join(dir, "hub.crt"));
    const text = JSON.stringify(s).replaceAll("/run/credentials/nats.service/", `${dir}/`);
    const checked = natsServerCheck(JSON.parse(text) as NatsSettings, dir);
    expect(checked.output).toMatch(/is valid/);
    expect(checked.ok).toBe(true);
  });

  it("refuses plaintext by default, secrets in the store, and a WebSocket open to every origin", () => {
    const messages = failedAssertions(hub(`tls = { certFile = "/nix/store/x-cert.pem"; keyFile = "relative/key.pem"; };`) as never).join("\n");
    expect(messages).toMatch(/tls\.certFile, keyFile: must be an absolute path outside the Nix store/);
    expect(messages).toMatch(/websocket\.allowedOrigins: name the origin/);
    const plain = failedAssertions(hub(`websocket.allowedOrigins = [ "https://a.example" ];`) as never);
    expect(plain).toEqual([expect.stringMatching(/set tls\.certFile and tls\.keyFile, or allowPlaintext = true/)]);
    const half = failedAssertions(hub(`allowPlaintext = true; websocket.allowedOrigins = [ "https://a.example" ]; tls.certFile = "/run/c.pem";`) as never);
    expect(half).toEqual(["services.alchemist-hub.tls: certFile and keyFile go together"]);
  });

  it("clusters with other hubs over routes that prove themselves with certificates of the CA, and nats-server accepts it", () => {
    const tls = `tls = { certFile = "/var/lib/hub/cert.pem"; keyFile = "/var/lib/hub/key.pem"; caFile = "/var/lib/hub/ca.pem"; };`;
    const routes = `[ "nats-route://hub-2.example.com:6222" "nats-route://hub-3.example.com:6222" ]`;
    const config = hub(`openFirewall = true; websocket.allowedOrigins = [ "https://a.example" ]; ${tls} cluster = { enable = true; routes = ${routes}; };`);
    expect(failedAssertions(config as never)).toEqual([]);
    const s = config.services.nats.settings;
    const credential = (name: string) => `/run/credentials/nats.service/${name}`;
    expect(s.cluster).toEqual({
      name: "alchemist",
      port: 6222,
      routes: ["nats-route://hub-2.example.com:6222", "nats-route://hub-3.example.com:6222"],
      tls: { cert_file: credential("hub.crt"), key_file: credential("hub.key"), ca_file: credential("ca.crt"), verify: true },
    });
    expect(config.networking.firewall.allowedTCPPorts).toContain(6222);
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hub", "-keyout", join(dir, "hub.key"), "-out", join(dir, "hub.crt"));
    writeFileSync(join(dir, "ca.crt"), readFileSync(join(dir, "hub.crt")));
    const checked = natsServerCheck(JSON.parse(JSON.stringify(s).replaceAll("/run/credentials/nats.service/", `${dir}/`)) as NatsSettings, dir);
    expect(checked.output).toMatch(/is valid/);

    // Routes without certificates would let any server that reaches the port join; no routes is no cluster.
    expect(failedAssertions(hub(`allowPlaintext = true; websocket.allowedOrigins = [ "https://a.example" ]; cluster = { enable = true; routes = ${routes}; };`) as never)).toEqual([
      expect.stringMatching(/cluster: routes carry every account's messages .* set tls\.certFile, tls\.keyFile and tls\.caFile/),
    ]);
    expect(failedAssertions(hub(`websocket.allowedOrigins = [ "https://a.example" ]; ${tls} cluster.enable = true;`) as never)).toEqual([expect.stringMatching(/cluster\.routes: list the other members/)]);
  });

  it("opens the firewall only for the listeners that are enabled", () => {
    const config = hub(`openFirewall = true; allowPlaintext = true; websocket.enable = false; leafnodes.enable = false;`);
    expect(failedAssertions(config as never)).toEqual([]);
    expect(config.networking.firewall.allowedTCPPorts).toEqual([4222]);
    expect(config.services.nats.settings.websocket).toBeUndefined();
    expect(config.services.nats.settings.leafnodes).toBeUndefined();
    expect(hub(`allowPlaintext = true; websocket.allowedOrigins = [ "https://a.example" ];`).networking.firewall.allowedTCPPorts).toEqual([]);
  });
});
