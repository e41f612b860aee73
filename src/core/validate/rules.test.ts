import { describe, expect, it } from "vitest";
import { compile } from "../compile";
import { build as buildDesign } from "../../../tests/support/designBuilder";
import { buildBootable as build } from "../../../tests/support/hardware";
import { validate } from "./index";

const host = (id = "cim-001"): [string, Record<string, unknown>] => ["cim-instance", { id }];
const codesOf = (design: Parameters<typeof validate>[0]) => validate(design).map((d) => `${d.code}@${d.nodeId ?? "-"}`);

describe("validation rules of CATALOG.md", () => {
  it("refuses a domain without a NATS server in its instance", () => {
    expect(codesOf(build({ h: host(), g: ["graph-domain"] }, [["g", "h"]]))).toEqual(["E_NO_NATS@g"]);
  });

  it("names both nodes of a port clash (Prometheus beside a domain's metrics port)", () => {
    const d = validate(build({ h: host(), n: ["nats-leaf"], g: ["graph-domain", { metricsPort: 9090 }], m: ["monitoring"] }, [["n", "g"], ["g", "h"], ["m", "h"]]));
    expect(d.map((x) => x.code)).toEqual(["E_PORT_CLASH"]);
    expect(d[0]!.message).toContain("(g)");
    expect(d[0]!.message).toContain("(m)");
  });

  it("counts the NATS exporter's fixed port 7777 once monitoring runs it, and names the port that can move", () => {
    const nodes = { h: host(), n: ["nats-leaf"] as [string], g: ["graph-domain", { metricsPort: 7777 }] as [string, Record<string, unknown>] };
    const monitored = validate(build({ ...nodes, m: ["monitoring"] }, [["n", "g"], ["g", "h"], ["m", "h"]]));
    expect(monitored.map((x) => `${x.code}@${x.nodeId} ${x.field}`)).toEqual(["E_PORT_CLASH@g metricsPort"]);
    expect(monitored[0]!.message).toContain("the nats exporter it runs (m)");
    expect(monitored[0]!.message).toContain("change the port of Graph domain");
    // Without monitoring no exporter runs, and 7777 is free.
    expect(codesOf(build(nodes, [["n", "g"], ["g", "h"]]))).toEqual([]);
  });

  it("refuses two NATS servers in one instance and two instances with one id", () => {
    expect(codesOf(build({ h: host(), a: ["nats-leaf"], b: ["nats-hub", { port: 4223, monitorPort: 8223 }] }, [["a", "h"], ["b", "h"]]))).toEqual(["E_OPTION_CONFLICT@b"]);
    // On both instances: whichever id was typed last, its field says so.
    expect(codesOf(build({ h1: host("same"), h2: host("same") }))).toEqual(["E_DUPLICATE_INSTANCE@h1", "E_DUPLICATE_INSTANCE@h2"]);
  });

  it("refuses an instance built on another instance", () => {
    // The edge itself means nothing too (no kind builds on an instance), reported on the edge.
    const hw: [string, Record<string, unknown>] = ["hardware", { rootDevice: "/dev/sda1" }];
    expect(codesOf(buildDesign({ a: host("a"), b: host("b"), hw }, [["a", "b"], ["hw", "a"], ["hw", "b"]]))).toEqual(["E_EDGE_KIND@-", "E_INSTANCE_EDGE@b"]);
  });

  it("warns about a node that reaches no instance and a secret no entry provides", () => {
    const d = build({ h: host(), n: ["nats-leaf", { credentialsFile: "/run/agenix/leaf.creds" }], r: ["redis"] }, [["n", "h"]]);
    expect(codesOf(d)).toEqual(["W_SECRET_MISSING@n", "W_UNREACHABLE@r"]);
    const provided = build({ h: host(), n: ["nats-leaf", { credentialsFile: "/run/agenix/leaf.creds" }], s: ["secrets", { entries: [{ name: "leaf.creds", file: "leaf.creds.age" }], keySource: "age-key-file" }] }, [["n", "h"], ["s", "h"]]);
    expect(codesOf(provided)).toEqual([]);
  });

  it("names the field of a missing secret inside a list of records", () => {
    const users = [{ user: "a" }, { user: "b", passwordFile: "/run/secrets/nats-b" }];
    const d = validate(build({ h: host(), n: ["nats-leaf", { users, localUser: "a" }] }, [["n", "h"]]));
    expect(d.filter((x) => x.code === "W_SECRET_MISSING").map((x) => x.field)).toEqual(["users[1].passwordFile"]);
  });

  it("warns when the NATS server verifies client certificates that the instance's own services do not have", () => {
    const tls = (verify: boolean): [string, Record<string, unknown>] => ["tls", { natsCert: "/etc/nats/server.pem", natsKey: "/etc/nats/key.pem", natsName: "nats.example.com", natsCa: "/etc/nats/ca.pem", verify }];
    const edges: [string, string][] = [["t", "n"], ["n", "g"], ["g", "h"]];
    const verifying = validate(build({ h: host(), n: ["nats-leaf"], t: tls(true), g: ["graph-domain"] }, edges));
    expect(verifying.map((x) => `${x.code}@${x.nodeId} ${x.field}`)).toEqual(["W_NATS_VERIFY@t verify"]);
    expect(verifying[0]!.message).toContain("Graph domain g");
    expect(codesOf(build({ h: host(), n: ["nats-leaf"], t: tls(false), g: ["graph-domain"] }, edges))).toEqual([]);
    // No client of its own: nobody to refuse.
    expect(codesOf(build({ h: host(), n: ["nats-leaf"], t: tls(true) }, [["t", "n"], ["n", "h"]]))).toEqual([]);
  });

  it("warns when secrets are decrypted with the SSH host key and nothing starts sshd, which makes it", () => {
    const entries = [{ name: "leaf.creds", file: "leaf.creds.age" }];
    for (const backend of ["agenix", "sops"]) {
      const alone = validate(build({ h: host(), s: ["secrets", { backend, entries }] }, [["s", "h"]]));
      expect(alone.map((x) => `${x.code}@${x.nodeId} ${x.field}`)).toEqual(["W_NO_SSH_HOST_KEY@s keySource"]);
      expect(alone[0]!.message).toContain("/etc/ssh/ssh_host_ed25519_key");
    }
    expect(codesOf(build({ h: host(), s: ["secrets", { entries }], x: ["security"] }, [["s", "h"], ["x", "h"]]))).toEqual([]);
    const sshd = "{ ... }: {\n  services.openssh = { enable = true; };\n}\n";
    const commented = "{ ... }: {\n  # services.openssh.enable = true;\n}\n";
    expect(codesOf(build({ h: host(), s: ["secrets", { entries }], i: ["nix-import", { fileName: "ssh.nix", content: sshd }] }, [["s", "h"], ["i", "h"]]))).toEqual([]);
    expect(codesOf(build({ h: host(), s: ["secrets", { entries }], i: ["nix-import", { fileName: "ssh.nix", content: commented }] }, [["s", "h"], ["i", "h"]]))).toEqual(["W_NO_SSH_HOST_KEY@s"]);
    // Nothing to decrypt, or its own key file: no host key needed.
    expect(codesOf(build({ h: host(), s: ["secrets"] }, [["s", "h"]]))).toEqual([]);
    expect(codesOf(build({ h: host(), s: ["secrets", { entries, keySource: "age-key-file" }] }, [["s", "h"]]))).toEqual([]);
  });

  it("warns when a NATS server with users has no user for the instance's own services, and checks the one named", () => {
    const users = [{ user: "cim-agent", publish: ["agent.>"] }];
    const edges: [string, string][] = [["n", "g"], ["g", "h"]];
    const withoutLocal = validate(build({ h: host(), n: ["nats-leaf", { users }], g: ["graph-domain"] }, edges));
    expect(withoutLocal.map((x) => `${x.code}@${x.nodeId} ${x.field}`)).toEqual(["W_NATS_AUTH@n localUser"]);
    expect(withoutLocal[0]!.message).toContain("Graph domain g");
    expect(codesOf(build({ h: host(), n: ["nats-leaf", { users, localUser: "cim-agent" }], g: ["graph-domain"] }, edges))).toEqual([]);
    const unknown = validate(build({ h: host(), n: ["nats-leaf", { users, localUser: "nobody" }], g: ["graph-domain"] }, edges));
    expect(unknown.map((x) => `${x.code}@${x.nodeId} ${x.field}`)).toEqual(["E_FIELD@n localUser"]);
    expect(unknown[0]!.message).toContain("names no user of this server (its users: cim-agent)");
  });

  it("reports an imported file that does not parse, with line and column, through the parser it is given", () => {
    const d = build({ h: host(), i: ["nix-import", { content: "{\n  a = ;\n}" }] }, [["i", "h"]]);
    const diagnostics = validate(d, { parseNix: (src) => (src.includes("= ;") ? { line: 2, column: 7, message: "syntax error" } : null) });
    expect(diagnostics.map((x) => x.message)).toEqual(["hardware-configuration.nix does not parse at line 2, column 7: syntax error"]);
  });

  it.each([
    ["an instance id", { h: ["cim-instance", { id: "Cim.001" }] }, "id"],
    ["a custom service name", { h: host(), s: ["custom-service", { name: "a b;", execStart: "/bin/true" }] }, "name"],
    ["a secret name", { h: host(), s: ["secrets", { entries: [{ name: "../x", file: "x.age" }] }] }, "entries[0].name"],
    ["an agent id", { h: host(), n: ["nats-leaf"], a: ["agent-container", { agentId: "Agent${x}" }] }, "agentId"],
    ["an import file name", { h: host(), i: ["nix-import", { fileName: "../../flake.nix", content: "{ }" }] }, "fileName"],
  ] as const)("refuses %s that cannot be an attribute, unit or file name, and emits nothing", (_, nodes, field) => {
    const design = build(nodes as never, Object.keys(nodes).filter((k) => k !== "h").map((k) => [k, "h"] as const));
    const result = compile(design);
    expect(result.files).toEqual({});
    expect(result.diagnostics.find((x) => x.severity === "error")?.field).toBe(field);
  });
});
