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
      // Through a leaf server that itself trusts the hub's operator (`alchemist creds --leaf-id`),
      // the executor's KV and object writes are checked there in the domain-qualified form.
      `${api(domain)}.$KV.${LEAVES_BUCKET}.${leafId}`,
      `${api(domain)}.$KV.${DEPLOYMENTS_BUCKET}.>`,
      `${api(domain)}.$O.${FLAKES_STORE}.>`,
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

/**
 * The roles of the deploy protocol. Every NATS identity Alchemist makes or documents has one,
 * and its permissions come from `permissionsFor` alone (used by `alchemist up`, `alchemist
 * creds`, `alchemist permissions` and the NixOS hub module).
 */
export type Role =
  /** A person at the browser (or the CLI): sends commands, reads everything of the protocol. */
  | { role: "operator"; name: string; leaves?: readonly string[] | "*" }
  /** The executor of one leaf. */
  | { role: "executor"; leafId: string }
  /** The NATS leaf server of one leaf: the leafnode connection the leaf's executor talks through. */
  | { role: "leaf-server"; leafId: string }
  /** Creates the streams and buckets with their limits (`alchemist up`, operator tooling). */
  | { role: "admin" };

/** The NATS user name of a role's identity: also the token of its own inbox prefix. */
export function identityName(r: Role): string {
  switch (r.role) {
    case "operator":
      return r.name;
    case "executor":
      return `executor-${r.leafId}`;
    case "leaf-server":
      return `leaf-${r.leafId}`;
    case "admin":
      return "admin";
  }
}

/** Each identity gets replies only on its own inbox prefix, so nobody reads another's replies. */
export const inboxPrefixOf = (identity: string) => `_INBOX_${identity}`;

export function permissionsFor(r: Role, domain = "hub"): Permissions {
  switch (r.role) {
    case "operator":
      return browserPermissions(domain, r.leaves ?? "*");
    case "executor":
    case "leaf-server":
      return executorPermissions(r.leafId, domain);
    case "admin":
      return { publish: [">"], subscribe: [">"] };
  }
}
