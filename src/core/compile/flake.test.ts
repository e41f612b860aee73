import { describe, expect, it } from "vitest";
import { compile } from "./index";
import { buildBootable as build } from "../../../tests/support/hardware";

describe("CIM flake inputs", () => {
  const design = (agentSource: string) =>
    build(
      {
        h1: ["cim-instance", { id: "h1" }],
        h2: ["cim-instance", { id: "h2" }],
        nats: ["nats-leaf"],
        domain: ["agent-domain"],
        service: ["agent-service", { source: agentSource }],
      },
      [["nats", "h1"], ["nats", "h2"], ["domain", "h1"], ["service", "h2"]],
    );

  it("nodes naming one input with one URL share it", () => {
    const { files, diagnostics } = compile(design("github:TheCowboyAI/cim-domain-agent"));
    expect(diagnostics).toEqual([]);
    expect(files["flake.nix"]!.match(/cim-domain-agent\.url/g)).toHaveLength(1);
  });

  it("a second URL for one input is an error on the node's package source, and nothing is exported", () => {
    const { files, diagnostics } = compile(design("github:me/cim-domain-agent"));
    expect(files).toEqual({});
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: "error", code: "E_FIELD", nodeId: "service", field: "source", message: expect.stringContaining("the flake input cim-domain-agent comes from github:TheCowboyAI/cim-domain-agent for node domain and from github:me/cim-domain-agent here") }),
    ]);
  });

  it("a package source must be a flake reference", () => {
    const { diagnostics } = compile(design("not a flake"));
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: "E_FIELD", nodeId: "service", field: "source" }));
  });
});

describe("an instance with a leaf executor", () => {
  const leaf = (instance: Record<string, unknown>, withNats = true) =>
    compile(build({ h: ["cim-instance", { id: "h", leafId: "leaf-1", ...instance }], ...(withNats ? { nats: ["nats-leaf"] } : {}) }, withNats ? [["nats", "h"]] : []));

  it("without credentials or trusted keys compiles, with a warning on each field to fill in", () => {
    const { files, diagnostics } = leaf({});
    expect(files["flake.nix"]).toContain("inputs.alchemist.nixosModules.executor");
    expect(diagnostics.map((d) => [d.severity, d.code, d.nodeId, d.field])).toEqual([
      ["warning", "W_EXECUTOR_CREDS", "h", "executorCredentials"],
      ["warning", "W_EXECUTOR_KEYS", "h", "trustedKeys"],
    ]);
  });

  it("with both has nothing to say", () => {
    expect(leaf({ executorCredentials: "/var/lib/alchemist/executor-leaf-1.creds", trustedKeys: ["UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4"] }).diagnostics).toEqual([]);
  });

  it("without a NATS server to reach the hub through is an error on the instance", () => {
    const { files, diagnostics } = leaf({}, false);
    expect(files).toEqual({});
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: "error", code: "E_NO_NATS", nodeId: "h" }));
  });
});
