import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDesign } from "../../core/design/load";
import clientTemplate from "../../../templates/alchemist-client.json";
import { sha256Hex } from "../../core/hash";
import { analyse } from "./analyse";
import { checkNixSyntax } from "./nixSyntax";

const GOLDEN = new URL("../../../tests/golden", import.meta.url).pathname;

const nixFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? nixFiles(path) : name.endsWith(".nix") ? [path] : [];
  });

describe("the browser's Nix syntax check", () => {
  it("accepts every .nix file the compiler writes for the six templates", () => {
    const files = nixFiles(GOLDEN);
    expect(files.length).toBeGreaterThan(12);
    for (const file of files) expect([file, checkNixSyntax(readFileSync(file, "utf8"))]).toEqual([file, null]);
  });

  it.each([
    ["{ a = 1;\n  b = [ 1 2 ;\n}", 2, 13, 'unexpected ";"'],
    ["{ a = 1;", 1, 9, "unexpected end of file"],
    ["{ config, ... }:\n{\n  x = ;\n}", 3, 7, 'unexpected ";"'],
  ])("reports where %j stops parsing", (source, line, column, message) => {
    expect(checkNixSyntax(source)).toEqual({ line, column, message });
  });
});

describe("analyse", () => {
  const design = loadDesign(clientTemplate).design!;

  it("compiles and points out the lines a selected node adds", () => {
    const neo4j = design.nodes.find((n) => n.kind === "neo4j")!;
    const result = analyse({ design, emittedBy: neo4j.id });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // What the Deploy dialog sends, so a click does not hash alchemist.json again.
    expect(result.designHash).toBe(sha256Hex(result.files["alchemist.json"]!));
    expect(Object.keys(result.emitted)).toEqual(["hosts/alchemist-client/default.nix"]);
    const text = result.files["hosts/alchemist-client/default.nix"]!.split("\n");
    expect(result.emitted["hosts/alchemist-client/default.nix"]!.map((l) => text[l - 1]!.trim())).toEqual([
      "services.neo4j = {",
      "bolt = {",
      "enable = true;",
      'tlsLevel = "DISABLED";',
      "};",
      "enable = true;",
      "https.enable = false;",
      "};",
    ]);
  });

  it("reports an imported file that does not parse, with line and column", () => {
    const broken = {
      ...design,
      nodes: [...design.nodes, { id: "hw", kind: "nix-import", position: { x: 0, y: 0 }, config: { content: "{\n  x = ;\n}" } }],
      edges: [...design.edges, { id: "hw->host", source: "hw", target: design.nodes.find((n) => n.kind === "cim-instance")!.id }],
    };
    const result = analyse({ design: broken, emittedBy: null });
    expect(result.files).toEqual({});
    expect(result).not.toHaveProperty("designHash");
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: "E_NIX_IMPORT_PARSE", nodeId: "hw", field: "content", message: expect.stringContaining("line 2, column 7") }));
  });
});
