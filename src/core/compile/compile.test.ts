import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "./index";
import { parseDesign } from "../design/load";
import { canonicalJson } from "../design/canonical";
import { sha256Hex } from "../hash";
import { shuffled } from "../../../tests/support/designBuilder";
import { buildBootable as build } from "../../../tests/support/hardware";

const host = (id = "cim-001"): [string, Record<string, unknown>] => ["cim-instance", { id }];

describe("the compiler", () => {
  const templates = readdirSync("templates").filter((f) => f.endsWith(".json")).sort();

  it.each(templates)("compiles %s without errors, byte-identical under any order of nodes, edges and keys", (file) => {
    const design = parseDesign(readFileSync(`templates/${file}`, "utf8")).design!;
    const reference = compile(design);
    expect(reference.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // What a template leaves for the person to add is a warning on the field to fill in.
    for (const w of reference.diagnostics) expect([w.nodeId, w.field].every((x) => x !== undefined), w.message).toBe(true);
    for (const seed of [1, 2, 3]) expect(compile(shuffled(design, seed)).files).toEqual(reference.files);
  });

  it("turns an edge between services into after/wants and opens only exposed ports", () => {
    const design = build(
      { h: host(), n: ["nats-leaf"], a: ["agent-service"], o: ["ollama"], f: ["firewall", { extraTCPPorts: [443] }] },
      [["n", "a"], ["a", "h"], ["o", "h"], ["f", "h"]],
    );
    const text = compile(design).files["hosts/cim-001/default.nix"]!;
    expect(text).toContain('after = [ "nats.service" "network-online.target" ];');
    expect(text).toContain("allowedTCPPorts = [ 443 4222 ];");
  });

  it("carries the design's flake.lock into the flake when its instances share one, without changing any other file", () => {
    const design = parseDesign(readFileSync("templates/minimal.json", "utf8")).design!;
    const plain = compile(design).files;
    const lock = '{"nodes":{"root":{}},"root":"root","version":7}\n';
    expect(compile({ ...design, locks: { "cim-minimal": lock } }).files).toEqual({ ...plain, "flake.lock": lock });
    expect(compile({ ...design, locks: { "cim-minimal": lock, other: `${lock} ` } }).files).toEqual(plain);
  });

  it("writes labels and notes into alchemist.json only: every Nix file is the same but for the design hash in flake.nix", () => {
    const design = parseDesign(readFileSync("templates/production.json", "utf8")).design!;
    const hostile = 'x"; }; ${builtins.abort "label"} \'\' \\ # 🦀';
    const named = {
      ...design,
      nodes: design.nodes.map((n) => ({ ...n, label: hostile })),
      notes: [{ id: "note-1", text: `${hostile}\nsecond line`, color: "pink" as const, position: { x: 0, y: 0 } }],
    };
    const plain = compile(design).files;
    const labelled = compile(named);
    expect(labelled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(Object.keys(labelled.files)).toEqual(Object.keys(plain));
    const hashLine = /^# Design sha256-[0-9a-f]{64}$/m;
    for (const [path, text] of Object.entries(labelled.files)) {
      if (path === "alchemist.json") continue;
      expect(text.replace(hashLine, "").replace(/sha256-[0-9a-f]{64}/, ""), path).toBe(plain[path]!.replace(hashLine, "").replace(/sha256-[0-9a-f]{64}/, ""));
      expect(text, path).not.toContain("abort");
    }
    expect(labelled.files["alchemist.json"]).toBe(canonicalJson(named));
    expect(labelled.files["alchemist.json"]).toContain(JSON.stringify(hostile));
  });

  it("gives the hash of alchemist.json, the one flake.nix names, hashed by the function it is given", () => {
    const design = parseDesign(readFileSync("templates/production.json", "utf8")).design!;
    const pure = compile(design);
    expect(pure.designHash).toBe(sha256Hex(pure.files["alchemist.json"]!));
    expect(pure.files["flake.nix"]).toContain(`# Design ${pure.designHash}\n`);
    const given = compile(design, { sha256Hex: (text) => `sha256-${String(text.length).padStart(64, "0")}` });
    expect(given.designHash).toBe(`sha256-${String(pure.files["alchemist.json"]!.length).padStart(64, "0")}`);
    expect(given.files["flake.nix"]).toContain(`# Design ${given.designHash}\n`);
    const broken = compile({ ...design, edges: [...design.edges, { id: "loop", source: design.nodes[0]!.id, target: design.nodes[0]!.id }] });
    expect(broken.files).toEqual({});
    expect(broken.designHash).toBeUndefined();
  });

  it("keeps an imported file byte for byte", () => {
    const content = "# mine\n{ ... }:\n{\n\tboot.isContainer = true;   \n}";
    const files = compile(build({ h: host(), i: ["nix-import", { fileName: "mine.nix", content }] }, [["i", "h"]])).files;
    expect(files["hosts/cim-001/imports/mine.nix"]).toBe(content);
    expect(files["hosts/cim-001/default.nix"]).toContain("imports = [ ./imports/mine.nix ];");
  });
});
