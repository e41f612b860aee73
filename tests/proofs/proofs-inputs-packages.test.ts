import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkConfig } from "../../src/core/catalog/check-config";
import { KINDS } from "../../src/core/catalog/registry";
import { compile } from "../../src/core/compile";
import { parseDesign } from "../../src/core/design/load";
import { analyze } from "../../src/core/validate/analyze";
import { alchemistFlake, evalFlake, fakeFlake, fakeNixpkgs, writeCompiled } from "../support/flake-inputs";
import { buildBootable as build } from "../support/hardware";

// Issue 11, point 2: the CIM programs come from flake inputs the design names, each host's
// overlay (and each container's) provides them, and a flake that does not is an evaluation
// error naming the node. Every flake here is evaluated by the real nix with every input
// overridden by a local path: flake, so nothing is fetched.

const root = mkdtempSync(join(tmpdir(), "alchemist-packages-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = join(root, "store");

/** Every CIM program a kind runs with its default package source: input → programs. */
const programs = new Map<string, string[]>();
for (const k of KINDS) {
  for (const p of k.cimPackages?.(checkConfig(k.fields, {}).value) ?? []) programs.set(p.input, [...(programs.get(p.input) ?? []), p.attr]);
}
const allPrograms = [...programs.values()].flat();
const nixpkgs = fakeNixpkgs(join(root, "inputs/nixpkgs"), allPrograms);
const alchemist = alchemistFlake(join(root, "inputs/alchemist"));
// Each CIM flake as the CIM project's are: its program is packages.<system>.default.
const cimFlakes = Object.fromEntries([...programs.keys()].map((input) => [input, fakeFlake(join(root, "inputs", input), { packages: ["default"] })]));

/** The names `inputs = { … }` of a flake.nix declares. */
const declaredInputs = (flakeNix: string): string[] =>
  [...(/inputs = \{\n([\s\S]*?)\n {2}\};/.exec(flakeNix)?.[1] ?? "").matchAll(/^ {4}([A-Za-z0-9_-]+)[.= ]/gm)].map((m) => m[1]!).sort();

const templates = readdirSync("templates").filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();

describe("CIM programs from flake inputs", () => {
  it.each(templates)("%s: every host gets each program its nodes run from the input's flake; its containers get the host's overlays", (name) => {
    const design = parseDesign(readFileSync(`templates/${name}.json`, "utf8")).design!;
    const dir = writeCompiled(join(root, "templates", name), design);
    const flakeNix = readFileSync(join(dir, "flake.nix"), "utf8");
    const inputs = declaredInputs(flakeNix);
    // Nothing but flake.nix's inputs is fetched: no fetcher anywhere in the generated Nix.
    for (const file of Object.keys(compile(design).files).filter((f) => f.endsWith(".nix"))) {
      expect(readFileSync(join(dir, file), "utf8"), file).not.toMatch(/fetchGit|fetchTarball|fetchurl|fetchTree|getFlake|fetchFromGitHub/);
    }
    const overrides: Record<string, string> = { nixpkgs, alchemist };
    for (const input of inputs) if (cimFlakes[input]) overrides[input] = cimFlakes[input]!;
    // agenix and sops-nix stand in with empty modules.
    for (const input of inputs) if (!overrides[input]) overrides[input] = fakeFlake(join(root, "inputs", input), { modules: ["default", "sops"] });
    const expected: Record<string, Record<string, string>> = {};
    for (const { view } of analyze(design).instances) {
      expected[view.hostId] = {};
      for (const m of view.members) {
        for (const p of m.kind.cimPackages?.(m.config) ?? []) expected[view.hostId]![p.attr] = `/nix/store/fake-${p.input}-default`;
      }
    }
    const attrsOf = (host: Record<string, string>) => `[ ${Object.keys(host).map((a) => JSON.stringify(a)).join(" ")} ]`;
    const apply = `cs: { ${Object.entries(expected).map(([host, want]) => `${JSON.stringify(host)} = let c = cs.${JSON.stringify(host)}; in {
      pkgs = builtins.listToAttrs (map (a: { name = a; value = (builtins.getAttr a c.pkgs).outPath; }) ${attrsOf(want)});
      hostOverlays = builtins.length (c.config.nixpkgs.overlays or [ ]);
      containerOverlays = builtins.mapAttrs (_: k: builtins.length (k.config.nixpkgs.overlays or [ ])) (c.config.containers or { });
      hostName = c.config.networking.hostName;
    };`).join(" ")} }`;
    const result = evalFlake(dir, "nixosConfigurations", { store, inputs: overrides, apply });
    if (!result.ok) throw new Error(result.stderr);
    const value = result.value as Record<string, { pkgs: Record<string, string>; hostOverlays: number; containerOverlays: Record<string, number>; hostName: string }>;
    for (const [host, want] of Object.entries(expected)) {
      expect(value[host]!.hostName).toBe(host);
      expect(value[host]!.pkgs).toEqual(want);
      expect(value[host]!.hostOverlays).toBe(Object.keys(want).length > 0 ? 1 : 0);
      for (const n of Object.values(value[host]!.containerOverlays)) expect(n).toBe(value[host]!.hostOverlays);
    }
  });

  const design = build(
    { host: ["cim-instance", { id: "h" }], nats: ["nats-leaf"], graph: ["graph-domain"], agent: ["agent-container", { agentId: "a", source: "github:example/agents" }] },
    [["nats", "host"], ["graph", "host"], ["agent", "host"]],
  );
  const dir = writeCompiled(join(root, "own"), design);

  it("a node's package source becomes the input it names, with that URL", () => {
    const flakeNix = readFileSync(join(dir, "flake.nix"), "utf8");
    expect(declaredInputs(flakeNix)).toEqual(["cim-domain-agent", "cim-domain-graph", "nixpkgs"]);
    expect(flakeNix).toContain('cim-domain-agent.url = "github:example/agents";');
    expect(flakeNix).toContain('cim-domain-graph.url = "github:TheCowboyAI/cim-domain-graph";');
  });

  it("a flake's package named like the program is taken before its default", () => {
    const named = fakeFlake(join(root, "inputs/agents-named"), { packages: ["default", "cim-agent"] });
    const result = evalFlake(dir, "nixosConfigurations.h.pkgs.cim-agent.outPath", { store, inputs: { nixpkgs, "cim-domain-graph": cimFlakes["cim-domain-graph"]!, "cim-domain-agent": named } });
    expect(result).toEqual({ ok: true, value: "/nix/store/fake-agents-named-cim-agent" });
  });

  it("a flake without the program is an evaluation error naming the node, not a missing attribute", () => {
    const empty = fakeFlake(join(root, "inputs/graph-empty"), {});
    const result = evalFlake(dir, "nixosConfigurations.h.pkgs.cim-graph-domain.outPath", { store, inputs: { nixpkgs, "cim-domain-graph": empty, "cim-domain-agent": cimFlakes["cim-domain-agent"]! } });
    expect(result.ok).toBe(false);
    const stderr = (result as { stderr: string }).stderr;
    expect(stderr).toContain(
      "node graph (Graph domain) of instance h runs pkgs.cim-graph-domain, but the flake input cim-domain-graph provides neither packages.x86_64-linux.cim-graph-domain nor packages.x86_64-linux.default; set the node's Package source to a flake that provides it",
    );
    expect(stderr).not.toMatch(/attribute '[^']*' missing/);
  });
});
