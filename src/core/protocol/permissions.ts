import {
  COMMANDS_STREAM,
  COMMANDS_SUBJECTS,
  DEPLOYMENTS_BUCKET,
  DESIGNS_BUCKET,
  EVENTS_STREAM,
  FLAKES_BUCKET,
  LEAVES_BUCKET,
  cancelBeforeStartSubject,
  commandConsumerName,
  commandSubject,
  eventSubject,
} from "./names";
import { deploymentKey, kvSubject } from "./layout";
import { EXECUTOR_STORES, STORE_STREAMS } from "./limits";

/**
 * The NATS permissions of every identity of the deploy protocol, as the subject allow lists a
 * user JWT (or an `authorization` users entry) carries. This file is the only place they are
 * written; `alchemist up`, `alchemist creds`, `alchemist permissions` and the NixOS hub module
 * all take them from `permissionsFor`. tests/integration/attacks.test.ts tries, with the real
 * client against a real nats-server, everything one role must not do.
 */
export interface Permissions {
  publish: string[];
  subscribe: string[];
}

/**
 * The roles of the deploy protocol. Every NATS identity Alchemist makes or documents has one.
 */
export type Role =
  /** A person at the browser (or the CLI): sends commands, reads everything of the protocol. */
  | { role: "operator"; name: string; leaves?: readonly string[] | "*" }
  /** The executor of one leaf. */
  | { role: "executor"; leafId: string }
  /** The NATS leaf server of one leaf: the hub-side user of its leafnode connection. */
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

const LOCAL_API = "$JS.API";
const domainApi = (domain: string) => `$JS.${domain}.API`;
const STREAMS = Object.values(STORE_STREAMS);
const LEAF_STREAMS = EXECUTOR_STORES.map((s) => STORE_STREAMS[s]);

/**
 * Leaf L's executor: its own commands, only through its own consumer pinned to its own
 * subject; its own registry entry, summaries, files and events, read back only by direct gets
 * whose subject names its own keys. It creates no consumer on a store that holds what leaves
 * write: a consumer's deliver subject is not covered by permissions, so such a consumer could
 * copy this leaf's own entries onto another leaf's subjects.
 *
 * `api` is the JetStream API prefix the requests are checked under, and `kvWrite` the subject
 * a KV write is checked under: with a JetStream domain nats.js sends KV writes under the API
 * prefix (`$JS.hub.API.$KV.…`). On the hub's own server the hub maps `$JS.hub.API.…` to
 * `$JS.API.…` (and the KV writes to `$KV.…`) before it checks a client's permissions; over a
 * leafnode connection it checks the subject as it arrives.
 */
function leafPermissions(leafId: string, identity: string, api: readonly string[], kvWrite: (subject: string) => string[]): Permissions {
  const consumer = commandConsumerName(leafId);
  const own = (bucket: string) => kvSubject(bucket, deploymentKey(leafId, ">"));
  const requests = (a: string) => [
    `${a}.INFO`,
    ...LEAF_STREAMS.map((s) => `${a}.STREAM.INFO.${s}`),
    `${a}.CONSUMER.CREATE.${COMMANDS_STREAM}.${consumer}.${commandSubject(leafId)}`,
    `${a}.CONSUMER.DELETE.${COMMANDS_STREAM}.${consumer}`,
    `${a}.CONSUMER.INFO.${COMMANDS_STREAM}.${consumer}`,
    `${a}.CONSUMER.MSG.NEXT.${COMMANDS_STREAM}.${consumer}`,
    // Its own registry entry, which is its lease: who holds the leaf id (src/executor/lease.ts).
    `${a}.DIRECT.GET.KV_${LEAVES_BUCKET}.${kvSubject(LEAVES_BUCKET, leafId)}`,
    `${a}.DIRECT.GET.KV_${DEPLOYMENTS_BUCKET}.${own(DEPLOYMENTS_BUCKET)}`,
    `${a}.DIRECT.GET.KV_${FLAKES_BUCKET}.${own(FLAKES_BUCKET)}`,
    `${a}.DIRECT.GET.${EVENTS_STREAM}.${eventSubject(leafId, ">")}`,
    // A cancel of one of its own deployments sent while it was away, read before the deployment starts.
    `${a}.DIRECT.GET.${COMMANDS_STREAM}.${cancelBeforeStartSubject(leafId, "*")}`,
  ];
  return {
    publish: [
      ...api.flatMap(requests),
      `$JS.ACK.${COMMANDS_STREAM}.${consumer}.>`,
      ...[kvSubject(LEAVES_BUCKET, leafId), own(DEPLOYMENTS_BUCKET), own(FLAKES_BUCKET)].flatMap(kvWrite),
      eventSubject(leafId, ">"),
    ],
    subscribe: [`${inboxPrefixOf(identity)}.>`],
  };
}

/**
 * A person: sends commands (to every leaf, or to the leaves listed) and reads the registry,
 * the summaries, the events and the stored files. It writes none of them, and it cannot purge,
 * delete or reconfigure a stream or bucket, nor touch an executor's consumer. It reads and
 * saves the team's designs (every person every design: they are the team's shared work). (The
 * browser is a client of the hub's own server, where requests are checked as `$JS.API.…`.)
 */
function operatorPermissions(identity: string, leaves: readonly string[] | "*"): Permissions {
  const a = LOCAL_API;
  const designs = `KV_${DESIGNS_BUCKET}`;
  // KV watches, key listings and histories are ordered push consumers (flow-controlled).
  const watched = [`KV_${LEAVES_BUCKET}`, `KV_${DEPLOYMENTS_BUCKET}`, designs];
  return {
    publish: [
      ...(leaves === "*" ? [COMMANDS_SUBJECTS] : leaves.flatMap((l) => [commandSubject(l), cancelBeforeStartSubject(l, "*")])),
      `${a}.INFO`,
      ...STREAMS.map((s) => `${a}.STREAM.INFO.${s}`),
      ...watched.flatMap((s) => [`${a}.CONSUMER.CREATE.${s}.>`, `${a}.CONSUMER.DELETE.${s}.*`, `${a}.CONSUMER.INFO.${s}.*`, `$JS.FC.${s}.>`]),
      // A deployment's events: a consumer of the browser's own, read by pulls.
      ...["CREATE", "DELETE", "INFO", "MSG.NEXT"].map((op) => `${a}.CONSUMER.${op}.${EVENTS_STREAM}.>`),
      // Files and single entries by key, the key named in the subject.
      ...[LEAVES_BUCKET, DEPLOYMENTS_BUCKET, FLAKES_BUCKET, DESIGNS_BUCKET].map((b) => `${a}.DIRECT.GET.KV_${b}.${kvSubject(b, ">")}`),
      // A design's earlier revision, read by its sequence (the subject names no key).
      `${a}.DIRECT.GET.${designs}`,
      // Saves: compare-and-set puts (and a delete marker) of any design's key.
      kvSubject(DESIGNS_BUCKET, ">"),
    ],
    subscribe: [`${inboxPrefixOf(identity)}.>`],
  };
}

export function permissionsFor(r: Role, domain = "hub"): Permissions {
  switch (r.role) {
    case "operator":
      return operatorPermissions(identityName(r), r.leaves ?? "*");
    case "executor":
      // An executor may talk to the hub's own server (local forms) or to a leaf server that
      // checks its credentials itself, where nothing maps the domain-qualified forms.
      return leafPermissions(r.leafId, identityName(r), [domainApi(domain), LOCAL_API], (w) => [w, `${domainApi(domain)}.${w}`]);
    case "leaf-server":
      // Exactly what the leaf's executor sends across the link, and its replies: see docs/protocol.md.
      return leafPermissions(r.leafId, identityName({ role: "executor", leafId: r.leafId }), [domainApi(domain)], (w) => [`${domainApi(domain)}.${w}`]);
    case "admin":
      return { publish: [">"], subscribe: [">"] };
  }
}
