/**
 * The local hub: one nats-server with JetStream (domain "hub", file store in the state
 * folder), WebSocket for browsers, a leafnode port for leaves and the monitoring port.
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
}

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
    c.trust,
    "",
  ].join("\n");
}
