import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { compile } from "../../core/compile";
import { designHash } from "../../core/design/canonical";
import { loadDesign } from "../../core/design/load";
import production from "../../../templates/production.json";
import { fileStem, flakeZip, readImport } from "./transfer";

const design = loadDesign(production).design!;

describe("export and import", () => {
  it("a flake .zip holds every file and opens again as the same design", () => {
    const { files } = compile(design);
    const zip = flakeZip(files);
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(Object.keys(files).sort());
    const back = readImport("production.zip", zip);
    expect(back.ok && designHash(back.design)).toBe(designHash(design));
  });

  it("a flake .zip with a flake.lock opens with that lock kept for each instance; one that is no Nix lock is refused, saying how to open it anyway", () => {
    const lock = JSON.stringify({ nodes: { root: {} }, root: "root", version: 7 });
    const zip = flakeZip(compile({ ...design, locks: { "cim-prod-001": lock } }).files);
    expect(unzipSync(zip)["flake.lock"]).toBeDefined();
    const back = readImport("production.zip", zip);
    expect(back.ok && back.design.locks).toEqual({ "cim-prod-001": lock });
    const broken = readImport("production.zip", flakeZip({ ...compile(design).files, "flake.lock": "{" }));
    expect(!broken.ok && broken.problems).toEqual(["production.zip: flake.lock is not JSON; remove flake.lock from the .zip to open the design without its pins."]);
  });

  it("a .zip of the flake's folder opens too, its lock read from beside the design; a design two folders down is not taken for one", () => {
    const lock = JSON.stringify({ nodes: { root: {} }, root: "root", version: 7 });
    const locked = { ...design, locks: { "cim-prod-001": lock } };
    const files = compile(locked).files;
    const inFolder = (folder: string) => zipSync(Object.fromEntries(Object.entries(files).map(([p, t]) => [`${folder}${p}`, strToU8(t)])));
    const back = readImport("production.zip", inFolder("production/"));
    expect(back.ok && designHash(back.design)).toBe(designHash(locked));
    expect(readImport("deep.zip", inFolder("a/b/")).ok).toBe(false);
    expect(readImport("root.zip", inFolder("/")).ok).toBe(false);
  });

  it("reads a design file", () => {
    const back = readImport("d.json", strToU8(JSON.stringify(production)));
    expect(back.ok && back.design.name).toBe("Production CIM");
  });

  it.each([
    ["notes.txt", strToU8("hello"), /notes\.txt is neither a design file \(JSON\) nor an exported flake \(\.zip\)/],
    ["bad.json", strToU8(JSON.stringify({ version: 1, name: "x", nodes: [{ id: "a", kind: "redis", position: { x: "left", y: 0 } }], edges: [] })), /^nodes\[0\]\.position\.x: expected a number, got a string$/],
    ["future.json", strToU8(JSON.stringify({ version: 9, name: "x", nodes: [], edges: [] })), /^version: version 9 was written by a newer Alchemist/],
    ["other.zip", zipSync({ "flake.nix": strToU8("{ }") }), /other\.zip has no alchemist\.json/],
    ["broken.zip", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /broken\.zip looks like a \.zip but cannot be unpacked/],
  ])("refuses %s and says why", (name, bytes, reason) => {
    const result = readImport(name, bytes);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join("\n")).toMatch(reason);
  });

  it("names files after the design", () => {
    expect(fileStem("Production CIM (copy)")).toBe("production-cim-copy");
    expect(fileStem("  ")).toBe("design");
  });
});
