/**
 * Keys of cim_deployments and cim_flakes start with the leaf id, so that NATS permissions can
 * let leaf L write `$KV.<bucket>.L.>` and nothing of another leaf (cim_leaves is keyed by the
 * leaf id alone). Both ids are single subject tokens, so a key splits back unambiguously.
 */
export const deploymentKey = (leafId: string, deploymentId: string) => `${leafId}.${deploymentId}`;

/** The subject of a KV entry, as NATS permissions name it. */
export const kvSubject = (bucket: string, key: string) => `$KV.${bucket}.${key}`;
