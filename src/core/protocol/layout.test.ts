import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deploymentKey, leavesByKey, parseDeploymentKey, summariesByDeployment } from "./layout";
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

  it("summaries are keyed by deployment id, and one whose body names another leaf or deployment than its key is dropped", () => {
    const got = summariesByDeployment({
      "leaf-a.d-1": summary("leaf-a", "d-1"),
      // Written by leaf-b under its own key, claiming to be leaf-a's deployment d-2.
      "leaf-b.d-2": summary("leaf-a", "d-2"),
      "leaf-b.d-3": summary("leaf-b", "d-other"),
      "d-4": summary("leaf-a", "d-4"),
      "leaf-b.d-5": null as unknown as DeploymentSummary,
    });
    expect(got).toEqual({ "d-1": summary("leaf-a", "d-1") });
  });

  it("a deployment id held by two leaves shows the first key's summary, whatever the order of arrival", () => {
    const a = summary("leaf-a", "d-1", "succeeded");
    const b = summary("leaf-b", "d-1", "failed");
    expect(summariesByDeployment({ "leaf-b.d-1": b, "leaf-a.d-1": a })).toEqual({ "d-1": a });
    expect(summariesByDeployment({ "leaf-a.d-1": a, "leaf-b.d-1": b })).toEqual({ "d-1": a });
  });

  it("a registry entry is kept only under its own leaf's key", () => {
    const leaf = (leafId: string): LeafRecord => ({ leafId, hostname: "h", version: "1", instances: ["*"], status: "idle", currentDeploymentId: null, lastSeen: "2026-01-01T00:00:00Z" });
    expect(leavesByKey({ "leaf-a": leaf("leaf-a"), "leaf-b": leaf("leaf-a"), "leaf-c": null as unknown as LeafRecord })).toEqual({ "leaf-a": leaf("leaf-a") });
  });
});
