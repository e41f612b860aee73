import { describe, expect, it } from "vitest";
import { parseDeploymentSummary, parseLeafRecord } from "./schemas";
import type { DeploymentSummary, LeafRecord } from "./records";

const summary = (leafId: string, deploymentId: string, state: DeploymentSummary["state"] = "succeeded"): DeploymentSummary => ({
  deploymentId,
  commandId: `c-${deploymentId}`,
  leafId,
  instance: "cim-a",
  action: "switch",
  designHash: "sha256-x",
  signer: { key: `U${"A".repeat(55)}`, name: "t" },
  commandSeq: 1,
  state,
  step: null,
  rollbackOf: null,
  acceptedAt: "2026-01-01T00:00:00Z",
  startedAt: null,
  finishedAt: null,
  error: null,
});

describe("the per-leaf key layout of cim_deployments and cim_flakes", () => {
  it("a summary is taken under its key only when its body names the key's leaf and deployment", () => {
    const kept = (key: string, s: unknown) => parseDeploymentSummary(key, JSON.stringify(s)).ok;
    expect(kept("leaf-a.d-1", summary("leaf-a", "d-1"))).toBe(true);
    // Written by leaf-b under its own key, claiming to be leaf-a's deployment d-2.
    expect(kept("leaf-b.d-2", summary("leaf-a", "d-2"))).toBe(false);
    expect(kept("leaf-b.d-3", summary("leaf-b", "d-other"))).toBe(false);
    // The old layout's key (a deployment id alone) is no leaf's.
    expect(kept("d-4", summary("leaf-a", "d-4"))).toBe(false);
    expect(kept("leaf-b.d-5", null)).toBe(false);
    // The same deployment id on another leaf is that leaf's own deployment.
    expect(kept("leaf-b.d-1", summary("leaf-b", "d-1", "failed"))).toBe(true);
  });

  it("a registry entry is taken only under its own leaf's key", () => {
    const leaf = (leafId: string): LeafRecord => ({ leafId, hostname: "h", version: "1", instances: ["*"], status: "idle", currentDeploymentId: null, lastSeen: "2026-01-01T00:00:00Z" });
    expect(parseLeafRecord("leaf-a", JSON.stringify(leaf("leaf-a"))).ok).toBe(true);
    expect(parseLeafRecord("leaf-b", JSON.stringify(leaf("leaf-a"))).ok).toBe(false);
    expect(parseLeafRecord("leaf-c", "null").ok).toBe(false);
  });
});
