import { historyOf, lastSucceeded, type DeploymentSummary } from "../../core/protocol";
import type { AppState } from "../store/state";
import { instancesOf } from "./instances";

/** What the deploy runtime must follow: the open deployment and the latest one of each instance (canvas colours). */
export function followedDeployments(s: Pick<AppState, "openDeploymentId" | "deployments" | "nodes" | "edges">): string[] {
  const ids = new Set<string>();
  if (s.openDeploymentId) ids.add(s.openDeploymentId);
  for (const i of instancesOf(s)) {
    const latest = historyOf(s.deployments, i.hostId)[0];
    if (latest) ids.add(latest.deploymentId);
  }
  return [...ids].sort();
}

/** The baselines of the review and the undeployed-change marks: each instance's last success. */
export function baselines(s: Pick<AppState, "deployments" | "nodes" | "edges">): DeploymentSummary[] {
  return instancesOf(s).flatMap((i) => lastSucceeded(s.deployments, i.hostId) ?? []);
}
