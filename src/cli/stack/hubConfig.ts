/**
 * The local hub: one nats-server, or each member of a cluster on loopback, with JetStream
 * (domain "hub", file store in the state folder), WebSocket for browsers, a leafnode port for
 * leaves and the monitoring port.
 * Nobody connects without credentials: `trust` (from hubTrustConfig) puts the server in
 * operator mode, which covers client, WebSocket and leafnode connections alike, and the
 * WebSocket listener takes only handshakes from the web app's own origins.
 * The text is NATS server configuration, not Nix; values are quoted as JSON strings, which
 * the NATS config parser reads as quoted strings.
 */

export interface HubPorts {
  client: number;
  websocket: number;
  leafnode: number;
  monitor: number;
}

export interface HubConfig {
  serverName: string;
  host: string;
  ports: HubPorts;
  jetstreamDomain: string;
  storeDir: string;
  pidFile: string;
  /** nats-server lines that make it trust one authority (operator, accounts) and nothing else. */
  trust: string;
  /** Origins (`http://host:port`) whose pages may open a WebSocket to the hub. */
  allowedOrigins: readonly string[];
  /** A member of a cluster: its route port, every member's route port, and the routes' secret. */
  cluster?: HubCluster;
}

export interface HubCluster {
  name: string;
  port: number;
  routePorts: readonly number[];
  /**
   * Routes carry every account's traffic and JetStream's Raft, so a server that could open one
   * would join the cluster: each route logs in with this password.
   */
  routePassword: string;
}

export const ROUTE_USER = "route";

const q = (s: string) => JSON.stringify(s);

export function hubConfigText(c: HubConfig): string {
  return [
    "# Written by `alchemist up`; rewritten at every start.",
    `server_name: ${q(c.serverName)}`,
    `listen: ${q(`${c.host}:${c.ports.client}`)}`,
    `http: ${q(`${c.host}:${c.ports.monitor}`)}`,
    `pid_file: ${q(c.pidFile)}`,
    // Deploy commands carry whole flakes; the NATS default of 1 MB is too small for some.
    "max_payload: 8MB",
    "jetstream {",
    `  store_dir: ${q(c.storeDir)}`,
    `  domain: ${q(c.jetstreamDomain)}`,
    "}",
    "websocket {",
    `  listen: ${q(`${c.host}:${c.ports.websocket}`)}`,
    // Browsers on the local stack connect over plain ws://; TLS belongs in front of a real hub.
    "  no_tls: true",
    // Any page the user visits could otherwise open a WebSocket to a hub on localhost.
    `  allowed_origins: [${c.allowedOrigins.map(q).join(", ")}]`,
    "}",
    "leafnodes {",
    `  listen: ${q(`${c.host}:${c.ports.leafnode}`)}`,
    "}",
    ...(c.cluster ? clusterLines(c.host, c.cluster) : []),
    c.trust,
    "",
  ].join("\n");
}

function clusterLines(host: string, c: HubCluster): string[] {
  const routeHost = host === "0.0.0.0" ? "127.0.0.1" : host;
  // A route to itself is dropped by nats-server, so every member lists the same routes.
  const route = (port: number) => `nats-route://${ROUTE_USER}:${encodeURIComponent(c.routePassword)}@${routeHost}:${port}`;
  return [
    "cluster {",
    `  name: ${q(c.name)}`,
    `  listen: ${q(`${host}:${c.port}`)}`,
    `  authorization { user: ${q(ROUTE_USER)}, password: ${q(c.routePassword)} }`,
    `  routes: [${c.routePorts.map((p) => q(route(p))).join(", ")}]`,
    "}",
  ];
}
