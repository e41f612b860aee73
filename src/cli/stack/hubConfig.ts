/**
 * The local hub: one nats-server with JetStream (domain "hub", file store in the state
 * folder), WebSocket for browsers, a leafnode port for leaves and the monitoring port.
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
    "}",
    "leafnodes {",
    `  listen: ${q(`${c.host}:${c.ports.leafnode}`)}`,
    "}",
    "",
  ].join("\n");
}
