import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Design } from "../../src/core/design/types";
import { writeCompiled } from "../support/flake-inputs";
import { evalModuleWithStub } from "../support/nix";
import { buildBootable as build } from "../support/hardware";

// Issue 11, point 7: agent containers on their own network reach the host's NATS server, and
// the host folders they bind-mount exist before systemd-nspawn looks for them.

const root = mkdtempSync(join(tmpdir(), "alchemist-containers-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const written = (name: string, design: Design): string => writeCompiled(join(root, name), design);

const hostConfig = (dir: string, host: string): Record<string, any> =>
  // nixpkgs.overlays is declared by NixOS (default [ ]), not by the stub; containers read it.
  evalModuleWithStub([{ file: join(dir, "modules/cim.nix") }, "{ nixpkgs.overlays = [ ]; }", { file: join(dir, "hosts", host, "default.nix") }], {
    imports: "ignore",
    pkgs: ["cim-agent-domain", "cim-graph-domain", "cim-workflow-domain"],
  });

// Quotes, a backslash, a percent sign (a tmpfiles specifier) and non-ASCII: none is white space,
// which a bind-mount path cannot hold.
const NASTY = `/var/lib/cim-agents/q"u'o\\te%h%%é中😀`;

describe("agent containers", () => {
  const design = build(
    {
      host: ["cim-instance", { id: "leaf" }],
      nats: ["nats-leaf", { port: 4333 }],
      // Two on their own network (numbered by agent id, so "alpha" is 1), one on the host's.
      zulu: ["agent-container", { agentId: "zulu", privateNetwork: true, bindMounts: [{ mountPoint: "/data", hostPath: "/var/lib/cim-agents/zulu", readOnly: false }] }],
      alpha: ["agent-container", { agentId: "alpha", privateNetwork: true, bindMounts: [{ mountPoint: "/in", hostPath: NASTY }] }],
      shared: ["agent-container", { agentId: "shared" }],
    },
    [["nats", "host"], ["nats", "zulu"], ["nats", "alpha"], ["nats", "shared"], ["zulu", "host"], ["alpha", "host"], ["shared", "host"]],
  );
  const dir = written("containers", design);
  const config = hostConfig(dir, "leaf");

  it("with privateNetwork get a veth pair and dial the host side, not their own loopback", () => {
    const c = config.containers;
    expect([c["cim-agent-alpha"].hostAddress, c["cim-agent-alpha"].localAddress]).toEqual(["10.233.1.1", "10.233.1.2"]);
    expect([c["cim-agent-zulu"].hostAddress, c["cim-agent-zulu"].localAddress]).toEqual(["10.233.2.1", "10.233.2.2"]);
    expect(c["cim-agent-alpha"].config.services["cim-agent"].natsUrl).toBe("nats://10.233.1.1:4333");
    expect(c["cim-agent-zulu"].config.services["cim-agent"].natsUrl).toBe("nats://10.233.2.1:4333");
    // The host's NATS server listens beyond 127.0.0.1 (services.nats.host defaults to it), and
    // its firewall lets the client port in on the containers' veth interfaces.
    expect(config.services.nats.host).toBe("0.0.0.0");
    expect(config.networking.firewall.interfaces["ve-+"].allowedTCPPorts).toEqual([4333]);
  });

  it("on the host's network keep 127.0.0.1 and get no addresses", () => {
    const shared = config.containers["cim-agent-shared"];
    expect(shared.privateNetwork).toBe(false);
    expect(shared.hostAddress).toBeUndefined();
    expect(shared.localAddress).toBeUndefined();
    expect(shared.config.services["cim-agent"].natsUrl).toBe("nats://127.0.0.1:4333");
  });

  it("with NATS over TLS dial the certificate's name, mapped in their own /etc/hosts to where the server is", () => {
    const tlsNode: [string, Record<string, unknown>] = ["tls", { natsCert: "/etc/nats/server.pem", natsKey: "/etc/nats/server-key.pem", natsName: "nats.internal.example" }];
    const withTls = build(
      {
        host: ["cim-instance", { id: "leaf" }],
        nats: ["nats-leaf", { port: 4333 }],
        tls: tlsNode,
        own: ["agent-container", { agentId: "own", privateNetwork: true }],
        shared: ["agent-container", { agentId: "shared" }],
      },
      [["tls", "nats"], ["nats", "host"], ["nats", "own"], ["nats", "shared"], ["own", "host"], ["shared", "host"]],
    );
    const c = hostConfig(written("containers-tls", withTls), "leaf").containers;
    // A server with TLS refuses plaintext, and no certificate covers an address.
    expect(c["cim-agent-own"].config.services["cim-agent"].natsUrl).toBe("tls://nats.internal.example:4333");
    expect(c["cim-agent-own"].config.networking.hosts).toEqual({ "10.233.1.1": ["nats.internal.example"] });
    expect(c["cim-agent-shared"].config.services["cim-agent"].natsUrl).toBe("tls://nats.internal.example:4333");
    expect(c["cim-agent-shared"].config.networking.hosts).toEqual({ "127.0.0.1": ["nats.internal.example"] });
    // Without TLS a container's /etc/hosts is left as NixOS makes it.
    expect(config.containers["cim-agent-alpha"].config.networking).toBeUndefined();
  });

  it("have their bind-mount sources made by systemd-tmpfiles, exactly as named", () => {
    const rules: string[] = config.systemd.tmpfiles.rules;
    expect(rules).toHaveLength(2);
    const conf = join(root, "cim-agents.conf");
    writeFileSync(conf, `${rules.join("\n")}\n`);
    const fsRoot = join(root, "fs");
    const run = spawnSync("systemd-tmpfiles", ["--create", `--root=${fsRoot}`, conf], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readdirSync(join(fsRoot, "var/lib/cim-agents")).sort()).toEqual([NASTY.slice("/var/lib/cim-agents/".length), "zulu"].sort());
    expect(statSync(join(fsRoot, NASTY)).isDirectory()).toBe(true);
  });
});
