import { describe, expect, it } from "vitest";
import { compile } from "./index";
import { build } from "../../../tests/unit/core-design-builder";

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
