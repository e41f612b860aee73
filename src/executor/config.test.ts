import { describe, expect, it } from "vitest";
import { AlchemistFailure } from "../core/errors";
import { TEST_TRUSTED_KEYS } from "../../tests/support/signing";
import { ownInstances, resolveConfig } from "./config";

const base = { leafId: "leaf-1", trustedKeys: TEST_TRUSTED_KEYS };

describe("the instances a leaf executor serves", () => {
  it("are, unless told, only its own host: an instance's id is its host name", () => {
    expect(resolveConfig(base, {}, "cim-leaf-001").instances).toEqual(["cim-leaf-001"]);
    expect(resolveConfig(base, {}, "CIM-Leaf-001").instances).toEqual(["cim-leaf-001"]);
  });

  it("are none when the host name cannot be an instance id, so nothing is served by accident", () => {
    expect(ownInstances("build_box.local")).toEqual([]);
    expect(resolveConfig(base, {}, "9lives").instances).toEqual([]);
  });

  it("are what --instances or ALCHEMIST_INSTANCES lists, * for any, the flag winning", () => {
    expect(resolveConfig({ ...base, instances: "cim-a, cim-b" }, {}, "cim-leaf-001").instances).toEqual(["cim-a", "cim-b"]);
    expect(resolveConfig(base, { ALCHEMIST_INSTANCES: "*" }, "cim-leaf-001").instances).toBe("*");
    expect(resolveConfig({ ...base, instances: "cim-a" }, { ALCHEMIST_INSTANCES: "*" }, "cim-leaf-001").instances).toEqual(["cim-a"]);
  });

  it("refuses a listed name that is not an instance id, naming it and where it came from", () => {
    expect(() => resolveConfig(base, { ALCHEMIST_INSTANCES: "cim-a,Bad Name" }, "cim-leaf-001")).toThrow(AlchemistFailure);
    expect(() => resolveConfig(base, { ALCHEMIST_INSTANCES: "cim-a,Bad Name" }, "cim-leaf-001")).toThrow(/ALCHEMIST_INSTANCES: "Bad Name" is not an instance id/);
  });
});
