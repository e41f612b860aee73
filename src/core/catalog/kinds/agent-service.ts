import { defineKind } from "../kind";
import { int, oneOf, text } from "../fields";
import { expr, union } from "../options";
import { hardened } from "../systemd";
import { natsUrlOf } from "../instance";
import { id, interp, sel } from "../../nix";
import { NATS_AND_DATA_CLIENT } from "../builds-on";
import { CIM_DOMAIN_AGENT, packageSource } from "./cim-domain";

const PROGRAM = "cim-domain-agent";
const source = packageSource(PROGRAM, CIM_DOMAIN_AGENT);

export const agentService = defineKind({
  kind: "agent-service",
  label: "Agent service (cim-domain-agent)",
  group: "Domains",
  role: "service",
  help: "The cim-domain-agent service: keeps agent state as events in a JetStream stream.",
  buildsOn: NATS_AND_DATA_CLIENT,
  fields: {
    streamName: text({ label: "Stream", help: "The JetStream stream for agent events.", default: "AGENT_EVENTS", required: true, pattern: { source: "[A-Za-z0-9_-]{1,64}", hint: "letters, digits, '_' and '-'" } }),
    snapshotFrequency: int({ label: "Snapshot every", help: "Events between snapshots.", default: 100, min: 1, max: 1_000_000, unit: "events" }),
    logLevel: oneOf(["error", "warn", "info", "debug", "trace"], { label: "Log level", help: "How much the service logs.", default: "info" }),
    source: source.field,
  },
  needsNats: true,
  claims: () => ["systemd.services.agent-service"],
  units: () => ["agent-service.service"],
  dataDirs: () => ["/var/lib/private/agent-service"],
  cimPackages: (c) => source.packages(c.source),
  emit: ({ config: c, instance }) => ({
    options: {
      systemd: {
        services: {
          "agent-service": {
            description: "CIM domain agent service",
            after: union(["network-online.target"]),
            wants: union(["network-online.target"]),
            wantedBy: ["multi-user.target"],
            environment: {
              LOG_LEVEL: c.logLevel,
              NATS_URL: natsUrlOf(instance),
              SNAPSHOT_FREQUENCY: String(c.snapshotFrequency),
              STREAM_NAME: c.streamName,
            },
            serviceConfig: hardened({
              // The host's overlay (flake.nix) provides it from the node's package source.
              ExecStart: expr(interp(sel(id("pkgs"), PROGRAM), "/bin/agent-service")),
              StateDirectory: "agent-service",
            }),
          },
        },
      },
    },
  }),
});
