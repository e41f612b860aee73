import { COMMANDS_STREAM, COMMANDS_SUBJECTS, DEPLOYMENTS_BUCKET, EVENTS_STREAM, FLAKES_STORE, LEAVES_BUCKET, commandSubject } from "./names";

/**
 * The NATS permissions each party of the deploy protocol needs, as subject lists an operator
 * puts into the hub's authorization block. docs/protocol.md prints them; an integration test
 * runs the executor and a browser-like client under exactly these permissions.
 */
export interface Permissions {
  publish: string[];
  subscribe: string[];
}

const api = (domain: string) => `$JS.${domain}.API`;
const streams = [COMMANDS_STREAM, EVENTS_STREAM, `KV_${LEAVES_BUCKET}`, `KV_${DEPLOYMENTS_BUCKET}`, `OBJ_${FLAKES_STORE}`];

/** The executor of one leaf: its own commands, its own events, the registry entries it owns. */
export function executorPermissions(leafId: string, domain = "hub"): Permissions {
  const consumer = `executor-${leafId}`;
  // On the hub itself the server hands domain-qualified requests on as local ones, and checks
  // the permissions of both; through a leaf only the qualified form travels.
  const both = (a: string) => [
      `${a}.INFO`,
      ...streams.flatMap((s) => [`${a}.STREAM.INFO.${s}`, `${a}.STREAM.CREATE.${s}`]),
      `${a}.STREAM.MSG.GET.${EVENTS_STREAM}`,
      `${a}.STREAM.MSG.GET.KV_${DEPLOYMENTS_BUCKET}`,
      `${a}.STREAM.MSG.GET.KV_${LEAVES_BUCKET}`,
      `${a}.STREAM.MSG.GET.OBJ_${FLAKES_STORE}`,
      `${a}.DIRECT.GET.KV_${DEPLOYMENTS_BUCKET}.>`,
      `${a}.DIRECT.GET.KV_${LEAVES_BUCKET}.>`,
      `${a}.DIRECT.GET.OBJ_${FLAKES_STORE}.>`,
      `${a}.STREAM.PURGE.OBJ_${FLAKES_STORE}`,
      `${a}.CONSUMER.CREATE.OBJ_${FLAKES_STORE}.>`,
      // The executor watches cim_deployments (an ordered consumer) to know every deployment.
      `${a}.CONSUMER.CREATE.KV_${DEPLOYMENTS_BUCKET}.>`,
      `${a}.CONSUMER.DELETE.KV_${DEPLOYMENTS_BUCKET}.>`,
      `${a}.CONSUMER.DELETE.OBJ_${FLAKES_STORE}.>`,
      `${a}.CONSUMER.CREATE.${COMMANDS_STREAM}.${consumer}.>`,
      `${a}.CONSUMER.DURABLE.CREATE.${COMMANDS_STREAM}.${consumer}`,
      `${a}.CONSUMER.DELETE.${COMMANDS_STREAM}.${consumer}`,
      `${a}.CONSUMER.INFO.${COMMANDS_STREAM}.${consumer}`,
      `${a}.CONSUMER.MSG.NEXT.${COMMANDS_STREAM}.${consumer}`,
  ];
  return {
    publish: [
      ...both(api(domain)),
      ...both("$JS.API"),
      `$JS.ACK.${COMMANDS_STREAM}.${consumer}.>`,
      `$KV.${LEAVES_BUCKET}.${leafId}`,
      `$KV.${DEPLOYMENTS_BUCKET}.>`,
      `$O.${FLAKES_STORE}.>`,
      `cim.deploy.events.${leafId}.>`,
    ],
    subscribe: ["_INBOX.>"],
  };
}

/**
 * Alchemist in the browser: send commands (to every leaf, or to the leaves listed), read the
 * registry, the summaries, the events and the stored files. It cannot write any of them.
 */
export function browserPermissions(domain = "hub", leaves: readonly string[] | "*" = "*"): Permissions {
  const reads = (a: string) => [
    `${a}.INFO`,
    ...streams.map((s) => `${a}.STREAM.INFO.${s}`),
    ...[EVENTS_STREAM, `KV_${LEAVES_BUCKET}`, `KV_${DEPLOYMENTS_BUCKET}`, `OBJ_${FLAKES_STORE}`].flatMap((s) => [
      `${a}.CONSUMER.CREATE.${s}.>`,
      `${a}.CONSUMER.DELETE.${s}.>`,
      `${a}.CONSUMER.INFO.${s}.>`,
      `${a}.CONSUMER.MSG.NEXT.${s}.>`,
      `${a}.STREAM.MSG.GET.${s}`,
      `${a}.DIRECT.GET.${s}.>`,
    ]),
  ];
  return {
    publish: [
      ...reads(api(domain)),
      ...reads("$JS.API"),
      ...(leaves === "*" ? [COMMANDS_SUBJECTS] : leaves.map(commandSubject)),
    ],
    subscribe: ["_INBOX.>"],
  };
}
