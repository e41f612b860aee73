import { describe, expect, it } from "vitest";
import { sha256Hex } from "../core/hash";
import { designHashProblem, nativeSha256Hex } from "./designHash";

describe("a deploy's designHash against the alchemist.json sent with it", () => {
  const design = '{"name":"fleet ✓ ${x}","nodes":[]}';

  it("takes the hash of the alchemist.json sent, as the pure SHA-256 gives it", () => {
    expect(nativeSha256Hex(design)).toBe(sha256Hex(design));
    expect(designHashProblem({ "alchemist.json": design, "flake.nix": "{ }" }, sha256Hex(design))).toBeUndefined();
  });

  it("refuses another hash, naming both", () => {
    const other = sha256Hex("{}");
    expect(designHashProblem({ "alchemist.json": design }, other)).toEqual({
      code: "E_CMD_FIELD",
      message: `designHash is ${other}, but the alchemist.json sent with it hashes to ${sha256Hex(design)}; send the designHash the compiler gave for these files`,
    });
  });

  it("leaves files without an alchemist.json unchecked", () => {
    expect(designHashProblem({ "flake.nix": "{ }" }, sha256Hex("{}"))).toBeUndefined();
  });
});
