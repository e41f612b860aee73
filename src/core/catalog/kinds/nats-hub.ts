import { defineKind } from "../kind";
import { port, record, strings, text } from "../fields";
import { sizeInBytes, SIZE } from "../patterns";
import { clientPorts, listenerTls, natsServerFields, natsServerHooks, natsService } from "./nats-common";
import { SETTINGS_ONLY } from "../builds-on";

/** Where NATS cluster routes listen; the firewall kind restricts the same port. */
export const ROUTE_PORT = 6222;
const size = (label: string, help: string, def: string) => text({ label, help, default: def, required: true, pattern: SIZE });

const fields = {
  ...natsServerFields,
  leafPort: port({ label: "Leaf node port", help: "Port leaf nodes connect to.", default: 7422 }),
  websocketPort: port({ label: "WebSocket port", help: "Port for browser clients.", default: 9222 }),
  jetstreamDomain: text({ label: "JetStream domain", help: "Leaf clients reach the hub's streams through this domain.", default: "hub", required: true, pattern: { source: "[A-Za-z0-9_-]{1,64}", hint: "letters, digits, '_' and '-'" } }),
  maxMemory: size("JetStream memory", "Memory for in-memory streams.", "1GB"),
  maxFile: size("JetStream storage", "Disk for file streams.", "10GB"),
  cluster: record(
    {
      name: text({ label: "Cluster name", help: "Set to join hubs into a cluster (routes on port 6222).", pattern: { source: "[A-Za-z0-9_-]{1,64}", hint: "letters, digits, '_' and '-'" }, placeholder: "cim-hub" }),
      routes: strings({ label: "Routes", help: "The other cluster members.", itemPattern: { source: "nats-route://[^\\s/]+:[0-9]{1,5}", hint: "nats-route://host:6222" }, placeholder: "nats-route://hub-2.example.com:6222" }),
    },
    { label: "Cluster", help: "Clustering with other hubs." },
  ),
};

export const natsHub = defineKind<typeof fields>({
  kind: "nats-hub",
  label: "NATS hub",
  group: "Messaging",
  role: "service",
  help: "A NATS server with JetStream that leaf nodes and browsers (WebSocket) connect to.",
  buildsOn: SETTINGS_ONLY,
  fields,
  ...natsServerHooks,
  ports: (c) => [
    ...clientPorts(c),
    { port: c.leafPort, label: "NATS leaf nodes", field: "leafPort", exposed: true },
    { port: c.websocketPort, label: "NATS WebSocket", field: "websocketPort", exposed: true },
    ...(c.cluster.name ? [{ port: ROUTE_PORT, label: "NATS cluster routes", field: "cluster", exposed: true }] : []),
  ],
  // With a certificate, leaf nodes (across the internet) and browsers get TLS too; browsers then
  // dial wss://, which a page served over https needs anyway.
  emit: ({ config: c, instance }) => {
    const tls = listenerTls(instance);
    return {
      options: natsService(c, true, {
        cluster: c.cluster.name
          ? { name: c.cluster.name, port: ROUTE_PORT, routes: c.cluster.routes.length > 0 ? c.cluster.routes : undefined }
          : undefined,
        jetstream: { domain: c.jetstreamDomain, max_file_store: sizeInBytes(c.maxFile), max_memory_store: sizeInBytes(c.maxMemory) },
        leafnodes: { port: c.leafPort, tls },
        websocket: tls ? { port: c.websocketPort, tls } : { no_tls: true, port: c.websocketPort },
      }, instance),
    };
  },
});
