import { defineKind } from "../kind";
import { bool, port, text } from "../fields";
import { ABSOLUTE_PATH, NATS_URL, sizeInBytes } from "../patterns";
import { authorization, maxPayload, natsUsers, payloadProblems, serverName, unsupportedPasswordFiles } from "./nats-common";

export const natsLeaf = defineKind({
  kind: "nats-leaf",
  label: "NATS leaf node",
  group: "Messaging",
  role: "service",
  help: "A local NATS server that joins the hub as a leaf node; the instance's services connect to it.",
  fields: {
    serverName,
    port: port({ label: "Client port", help: "Port for local NATS clients.", default: 4222 }),
    monitorPort: port({ label: "Monitoring port", help: "HTTP monitoring port.", default: 8222 }),
    hubUrl: text({ label: "Hub URL", help: "The hub's leaf node address.", default: "nats://hub:7422", required: true, pattern: NATS_URL }),
    credentialsFile: text({ label: "Credentials file", help: "The leaf's NATS credentials on the host.", pattern: ABSOLUTE_PATH, placeholder: "/run/agenix/nats-leaf.creds" }),
    jetstream: bool({ label: "JetStream", help: "Run JetStream on the leaf too.", default: false }),
    maxPayload,
    users: natsUsers,
  },
  claims: () => ["services.nats"],
  units: () => ["nats.service"],
  dataDirs: () => ["/var/lib/nats"],
  natsServer: (c) => ({ port: c.port }),
  metrics: (c) => [{ job: "nats", port: c.monitorPort }],
  ports: (c) => [
    { port: c.port, label: "NATS clients", field: "port", exposed: true },
    { port: c.monitorPort, label: "NATS monitoring", field: "monitorPort", exposed: true },
  ],
  check: (c) => [
    ...unsupportedPasswordFiles(c.users),
    ...payloadProblems(c.maxPayload),
  ],
  emit: ({ config: c }) => ({
    options: {
      services: {
        nats: {
          enable: true,
          jetstream: c.jetstream,
          port: c.port,
          serverName: c.serverName || undefined,
          settings: {
            authorization: authorization(c.users),
            http_port: c.monitorPort,
            leafnodes: { remotes: [{ url: c.hubUrl, credentials: c.credentialsFile || undefined }] },
            max_payload: sizeInBytes(c.maxPayload),
          },
        },
      },
    },
  }),
});
