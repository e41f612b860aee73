/**
 * NATS subjects, streams and buckets of the deploy protocol (v1). Operators write NATS
 * permissions against these names, so they change only with a protocol version bump.
 */

export const PROTOCOL_VERSION = 1;

export const COMMANDS_STREAM = "CIM_DEPLOY_COMMANDS";
export const EVENTS_STREAM = "CIM_DEPLOY_EVENTS";
export const LEAVES_BUCKET = "cim_leaves";
export const DEPLOYMENTS_BUCKET = "cim_deployments";
/** The files each deployment sent, one KV entry `{path: text}` per deployment. */
export const FLAKES_BUCKET = "cim_flakes";
/** The designs people save, one key per design id, each revision kept (up to DESIGN_HISTORY). */
export const DESIGNS_BUCKET = "cim_designs";
/** Revisions the hub keeps of each design: the most a NATS KV bucket keeps per key. */
export const DESIGN_HISTORY = 64;

export const COMMANDS_SUBJECTS = "cim.deploy.commands.>";
export const EVENTS_SUBJECTS = "cim.deploy.events.>";

/** The CIM correlation headers every protocol message carries. */
export const HEADER_MESSAGE_ID = "X-Message-ID";
export const HEADER_CORRELATION_ID = "X-Correlation-ID";
export const HEADER_CAUSATION_ID = "X-Causation-ID";

/** Leaf ids and deployment ids are single subject tokens. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function isSubjectToken(s: unknown): s is string {
  return typeof s === "string" && TOKEN_PATTERN.test(s);
}

export const commandSubject = (leafId: string) => `cim.deploy.commands.${leafId}`;
/**
 * Where a cancel for deployment D waits until leaf L takes D's command: a subject of the command
 * stream that L's consumer does not read. On taking a new deploy L looks here first (a direct
 * get of this one subject), so a deployment cancelled while its leaf was away never starts;
 * a cancel sent to `commandSubject` would only be taken after the deploy it queues behind.
 */
export const cancelBeforeStartSubject = (leafId: string, deploymentId: string) => `${commandSubject(leafId)}.cancel.${deploymentId}`;
/** The durable consumer through which leaf L's executor, and nobody else, reads L's commands. */
export const commandConsumerName = (leafId: string) => `executor-${leafId}`;
export const eventSubject = (leafId: string, deploymentId: string) => `cim.deploy.events.${leafId}.${deploymentId}`;
/** Every event of one deployment: of its leaf when known, else of whichever leaf runs it. */
export const deploymentEventsFilter = (deploymentId: string, leafId = "*") => eventSubject(leafId, deploymentId);

/** Where a command too broken to name a usable deployment id is answered. */
export const UNNAMED_DEPLOYMENT = "_invalid";

/** A leaf that has not beaten its heart for this long is shown offline. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const LEAF_OFFLINE_AFTER_MS = 15_000;
