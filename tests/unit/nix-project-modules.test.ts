import { describe, expect, it } from "vitest";
import { evalModuleWithStub } from "../support/nix";
import { REPO } from "../support/stack";

const EXECUTOR = { file: `${REPO}nix/modules/alchemist-executor.nix` };
const HUB = { file: `${REPO}nix/modules/alchemist-hub.nix` };
// What NixOS itself provides and the modules read.
const HOST = `{ networking.hostName = "leaf-host"; system.build.nixos-rebuild = "/nix/store/stub-nixos-rebuild"; nix.package = "/nix/store/stub-nix"; systemd.package = "/nix/store/stub-systemd"; }`;

type Service = { environment: Record<string, string>; serviceConfig: Record<string, unknown>; path: string[]; wantedBy: string[]; after: string[] };
const service = (config: Record<string, unknown>) => (config.systemd as { services: Record<string, Service> }).services["alchemist-executor"]!;

describe("nix/modules/alchemist-executor.nix, evaluated with the module-system stub", () => {
  it("runs `alchemist executor` with the leaf's settings in its environment", () => {
    const config = evalModuleWithStub([
      EXECUTOR,
      HOST,
      `{ services.alchemist-executor = { enable = true; package = "/nix/store/stub-alchemist"; leafId = "leaf-01"; natsUrl = "tls://leaf.example.com:4222"; instances = [ "cim-prod-001" "cim-prod-002" ]; }; }`,
    ]);
    const s = service(config);
    expect(s.serviceConfig.ExecStart).toBe("/nix/store/stub-alchemist/bin/alchemist executor");
    expect(s.environment).toEqual({
      NATS_URL: "tls://leaf.example.com:4222",
      ALCHEMIST_LEAF_ID: "leaf-01",
      ALCHEMIST_JS_DOMAIN: "hub",
      ALCHEMIST_WORK_DIR: "/var/lib/alchemist-executor",
      ALCHEMIST_INSTANCES: "cim-prod-001,cim-prod-002",
    });
    expect(s.path).toEqual(["/nix/store/stub-nixos-rebuild", "/nix/store/stub-nix", "/nix/store/stub-systemd"]);
    expect(s.serviceConfig).toMatchObject({ User: "root", Restart: "on-failure", NoNewPrivileges: true, PrivateTmp: true, KillMode: "control-group" });
    expect(s.serviceConfig.ProtectSystem).toBeUndefined();
    expect(s.wantedBy).toEqual(["multi-user.target"]);
  });

  it("passes a credentials file through LoadCredential, never through the store", () => {
    const s = service(
      evalModuleWithStub([EXECUTOR, HOST, `{ services.alchemist-executor = { enable = true; package = "/nix/store/stub-alchemist"; leafId = "leaf-02"; credentialsFile = "/run/secrets/leaf.creds"; }; }`]),
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
});

describe("nix/modules/alchemist-hub.nix", () => {
  it("configures services.nats with JetStream domain, leafnodes, WebSocket and monitoring", () => {
    const config = evalModuleWithStub([HUB, HOST, `{ services.alchemist-hub = { enable = true; openFirewall = true; }; }`]);
    expect(config.services).toMatchObject({
      nats: {
        enable: true,
        serverName: "leaf-host",
        port: 4222,
        jetstream: true,
        settings: { http_port: 8222, max_payload: "8MB", jetstream: { domain: "hub" }, leafnodes: { port: 7422 }, websocket: { port: 9222, no_tls: true } },
      },
    });
    expect((config.networking as { firewall: { allowedTCPPorts: number[] } }).firewall.allowedTCPPorts).toEqual([4222, 9222, 7422]);
  });

  it("serves wss:// when given a certificate", () => {
    const config = evalModuleWithStub([HUB, HOST, `{ services.alchemist-hub = { enable = true; websocket = { certFile = "/run/hub.crt"; keyFile = "/run/hub.key"; }; }; }`]);
    const ws = (config.services as { nats: { settings: { websocket: Record<string, unknown> } } }).nats.settings.websocket;
    expect(ws).toEqual({ port: 9222, tls: { cert_file: "/run/hub.crt", key_file: "/run/hub.key" } });
  });
});
