import { defineKind } from "../kind";
import { bool, text } from "../fields";
import { ABSOLUTE_PATH, NATS_URL } from "../patterns";
import { clientPorts, natsServerFields, natsServerHooks, natsService } from "./nats-common";
import { SETTINGS_ONLY } from "../builds-on";

const fields = {
  ...natsServerFields,
  hubUrl: text({ label: "Hub URL", help: "The hub's leaf node address.", default: "nats://hub:7422", required: true, pattern: NATS_URL }),
  credentialsFile: text({ label: "Credentials file", help: "The leaf's NATS credentials on the host.", pattern: ABSOLUTE_PATH, placeholder: "/run/agenix/nats-leaf.creds" }),
  jetstream: bool({ label: "JetStream", help: "Run JetStream on the leaf too.", default: false }),
};

export const natsLeaf = defineKind<typeof fields>({
  kind: "nats-leaf",
  label: "NATS leaf node",
  group: "Messaging",
  role: "service",
  help: "A local NATS server that joins the hub as a leaf node; the instance's services connect to it.",
  buildsOn: SETTINGS_ONLY,
  fields,
  ...natsServerHooks,
  ports: clientPorts,
  emit: ({ config: c, instance }) => ({
    options: natsService(c, c.jetstream, {
      leafnodes: { remotes: [{ url: c.hubUrl, credentials: c.credentialsFile || undefined }] },
    }, instance),
  }),
});
