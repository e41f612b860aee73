import { isRecord } from "../catalog/check-config";
import { isSubjectToken } from "./names";
import type { DeploymentSummary, LeafRecord } from "./records";

/**
 * Keys of cim_deployments and cim_flakes start with the leaf id, so that NATS permissions can
 * let leaf L write `$KV.<bucket>.L.>` and nothing of another leaf (cim_leaves is keyed by the
 * leaf id alone). Both ids are single subject tokens, so a key splits back unambiguously.
 */
export const deploymentKey = (leafId: string, deploymentId: string) => `${leafId}.${deploymentId}`;

/** The leaf and deployment of a cim_deployments or cim_flakes key; undefined for any other key. */
export function parseDeploymentKey(key: string): { leafId: string; deploymentId: string } | undefined {
  const dot = key.indexOf(".");
  const leafId = key.slice(0, dot);
  const deploymentId = key.slice(dot + 1);
  return dot > 0 && isSubjectToken(leafId) && isSubjectToken(deploymentId) ? { leafId, deploymentId } : undefined;
}

/** The subject of a KV entry, as NATS permissions name it. */
export const kvSubject = (bucket: string, key: string) => `$KV.${bucket}.${key}`;

/**
 * The summaries of cim_deployments as the app keeps them, by key. Only leaf L can write under
 * `L.`, so the key says whose a summary is: one whose body names another leaf or deployment
 * than its key, or under a key of no leaf, is dropped. Two leaves may still hold the same
 * deployment id (a command sent twice to different leaves): both are kept, each its own leaf's.
 */
export function ownSummaries(entries: Readonly<Record<string, DeploymentSummary>>): Record<string, DeploymentSummary> {
  return Object.fromEntries(
    Object.entries(entries).filter(([key, s]) => {
      const k = parseDeploymentKey(key);
      return k !== undefined && isRecord(s) && s.leafId === k.leafId && s.deploymentId === k.deploymentId;
    }),
  );
}

/** The registry as the app keeps it: an entry under key L must be leaf L's (only L writes there). */
export function leavesByKey(entries: Readonly<Record<string, LeafRecord>>): Record<string, LeafRecord> {
  return Object.fromEntries(Object.entries(entries).filter(([key, leaf]) => isRecord(leaf) && leaf.leafId === key));
}
