import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ActivationRecords, type ActivationRecord } from "./recovery";

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-recovery-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const STORE = "/nix/store";
const record = (over: Partial<ActivationRecord> = {}): ActivationRecord => ({
  v: 1,
  deploymentId: "dep-1",
  instance: "cim-a",
  action: "switch",
  running: `${STORE}/aaaa-nixos-system-a`,
  profile: `${STORE}/aaaa-nixos-system-a`,
  generation: "system-3-link",
  bootId: "boot-1",
  phase: "activating",
  deadline: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("activation records: a rollback runs what they name as root, so only what the executor writes is acted on", () => {
  it("reads back what it wrote", () => {
    const records = new ActivationRecords(folder());
    records.write(record());
    records.write(record({ deploymentId: "dep-2", phase: "awaiting-confirmation" }));
    expect(records.all(STORE)).toEqual({ records: [record(), record({ deploymentId: "dep-2", phase: "awaiting-confirmation" })], bad: [] });
    records.remove("dep-1");
    expect(records.all(STORE).records.map((r) => r.deploymentId)).toEqual(["dep-2"]);
  });

  it.each([
    ["a system outside the store", { running: "/tmp/evil" }],
    ["a path that climbs out of the store", { profile: `${STORE}/../../tmp/evil` }],
    ["a system below a store path", { running: `${STORE}/aaaa-x/bin` }],
    ["an action that is not switch or test", { action: "boot" }],
    ["a deployment id that is not a token", { deploymentId: "../x" }],
    ["an unknown phase", { phase: "done" }],
  ])("refuses %s, and leaves it for a person", (_what, over) => {
    const dir = folder();
    const records = new ActivationRecords(dir);
    const bad = { ...record(), ...over };
    records.write(record({ deploymentId: "dep-ok" }));
    writeFileSync(join(records.dir, `${String(bad.deploymentId).replace(/\//g, "_")}.json`), JSON.stringify(bad));
    const read = records.all(STORE);
    expect(read.records.map((r) => r.deploymentId)).toEqual(["dep-ok"]);
    expect(read.bad).toHaveLength(1);
  });

  it("a record filed under another deployment's name is refused", () => {
    const records = new ActivationRecords(folder());
    records.write(record());
    writeFileSync(join(records.dir, "dep-other.json"), readFileSync(join(records.dir, "dep-1.json")));
    expect(records.all(STORE).bad).toEqual([expect.stringContaining("named after another deployment")]);
  });

  it("keeps a leaf's need for attention until it is cleared", () => {
    const records = new ActivationRecords(folder());
    expect(records.attention()).toBeUndefined();
    records.setAttention("dep-1", "rolling back failed");
    expect(records.attention()).toEqual({ deploymentId: "dep-1", reason: "rolling back failed" });
    expect(records.all(STORE)).toEqual({ records: [], bad: [] });
    records.clearAttention();
    expect(records.attention()).toBeUndefined();
  });
});
