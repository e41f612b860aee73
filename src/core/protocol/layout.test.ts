import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deploymentKey, leavesByKey, ownSummaries, parseDeploymentKey } from "./layout";
import type { DeploymentSummary, LeafRecord } from "./records";

const summary = (leafId: string, deploymentId: string, state: DeploymentSummary["state"] = "succeeded"): DeploymentSummary => ({
  deploymentId,
  commandId: `c-${deploymentId}`,
  leafId,
  instance: "cim-a",
  action: "switch",
  designHash: "sha256-x",
  state,
  step: null,
  rollbackOf: null,
  acceptedAt: "2026-01-01T00:00:00Z",
  startedAt: null,
  finishedAt: null,
  error: null,
});
const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);

describe("the per-leaf key layout of cim_deployments and cim_flakes", () => {
  it("a key splits back into the leaf and the deployment it was made from", () => {
    fc.assert(
      fc.property(token, token, (leafId, deploymentId) => {
        expect(parseDeploymentKey(deploymentKey(leafId, deploymentId))).toEqual({ leafId, deploymentId });
      }),
    );
  });

  it("keys of the old layout (a deployment id alone) and malformed keys are not deployment keys", () => {
    for (const key of ["d-1", ".d-1", "leaf.", "leaf.d.1", "le af.d-1", ""]) expect(parseDeploymentKey(key)).toBeUndefined();
  });

  it("a summary is kept under its key only when its body names the key's leaf and deployment", () => {
    const got = ownSummaries({
      "leaf-a.d-1": summary("leaf-a", "d-1"),
      // Written by leaf-b under its own key, claiming to be leaf-a's deployment d-2.
      "leaf-b.d-2": summary("leaf-a", "d-2"),
      "leaf-b.d-3": summary("leaf-b", "d-other"),
      "d-4": summary("leaf-a", "d-4"),
      "leaf-b.d-5": null as unknown as DeploymentSummary,
      // The same deployment id on another leaf is that leaf's own deployment.
      "leaf-b.d-1": summary("leaf-b", "d-1", "failed"),
    });
    expect(got).toEqual({ "leaf-a.d-1": summary("leaf-a", "d-1"), "leaf-b.d-1": summary("leaf-b", "d-1", "failed") });
  });

  it("a registry entry is kept only under its own leaf's key", () => {
    const leaf = (leafId: string): LeafRecord => ({ leafId, hostname: "h", version: "1", instances: ["*"], status: "idle", currentDeploymentId: null, lastSeen: "2026-01-01T00:00:00Z" });
    expect(leavesByKey({ "leaf-a": leaf("leaf-a"), "leaf-b": leaf("leaf-a"), "leaf-c": null as unknown as LeafRecord })).toEqual({ "leaf-a": leaf("leaf-a") });
  });
});
