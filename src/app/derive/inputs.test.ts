import { describe, expect, it } from "vitest";
import { inputsReview } from "./inputs";

const lock = (rev: string) => JSON.stringify({ nodes: { nixpkgs: { locked: { rev, narHash: "sha256-A=", type: "github" } }, root: { inputs: { nixpkgs: "nixpkgs" } } }, root: "root", version: 7 });

describe("the inputs part of the deploy review", () => {
  it("with no kept lock, says the leaf locks the inputs on this deployment", () => {
    expect(inputsReview("cim-a", undefined, null, false)).toEqual({ summary: expect.stringContaining("No flake.lock is kept for cim-a: the leaf locks the inputs"), changes: [] });
  });

  it("with Update inputs, says every input is locked afresh, whatever is kept", () => {
    expect(inputsReview("cim-a", lock("a".repeat(40)), { "flake.lock": lock("b".repeat(40)) }, true).summary).toMatch(/^The leaf locks every input of cim-a afresh/);
  });

  it("with a kept lock, names each input whose pin differs from the last deployment's, old → new", () => {
    const kept = lock("a".repeat(40));
    expect(inputsReview("cim-a", kept, { "flake.lock": kept }, false)).toEqual({ summary: "Inputs pinned by the kept flake.lock (1 input).", changes: [] });
    expect(inputsReview("cim-a", kept, { "flake.lock": lock("b".repeat(40)) }, false).changes).toEqual([`nixpkgs ${"b".repeat(12)} → ${"a".repeat(12)}`]);
    // A last deployment without a lock, or none at all, has nothing to compare with.
    expect(inputsReview("cim-a", kept, { "flake.nix": "{ }" }, false).changes).toEqual([]);
    expect(inputsReview("cim-a", kept, null, false).changes).toEqual([]);
  });

  it("a kept lock that cannot be read says so and how to get past it", () => {
    expect(inputsReview("cim-a", "{", null, false).summary).toMatch(/cannot be read \(flake.lock is not JSON\).*Update inputs/);
  });
});
