import { defineKind } from "../kind";
import { bool, records, strings, text } from "../fields";
import { expr } from "../options";
import { ABSOLUTE_PATH, NATS_URL } from "../patterns";
import { natsUrlOf } from "../instance";
import { attrs, bind, call, id, interp, list, path, sel, str } from "../../nix";
import { NATS_AND_DATA_CLIENT } from "../builds-on";
import { config, described, enable, hardenedUnit, lib, listOfStr, LOCAL_NATS, pkgs, startsAfterNetwork, types } from "../module-declarations";

const agent = id("agent");

/** `services.cim-agent`, which each container enables inside itself, runs `cim-agent` as a hardened unit. */
const agentUnit = call(
  id("mkIf"),
  sel(agent, "enable"),
  attrs({
    "cim-agent": attrs({
      description: str("CIM agent"),
      ...startsAfterNetwork,
      environment: attrs({
        AGENT_CAPABILITIES: call(sel(lib, "concatStringsSep"), str(","), sel(agent, "capabilities")),
        AGENT_ID: sel(agent, "agentId"),
        NATS_URL: sel(agent, "natsUrl"),
      }),
      serviceConfig: hardenedUnit({
        ExecStart: interp(sel(agent, "package"), "/bin/cim-agent"),
        StateDirectory: str("cim-agent"),
      }),
    }),
  }),
);

const containerName = (agentId: string): string => `cim-agent-${agentId}`;

export const agentContainer = defineKind({
  kind: "agent-container",
  label: "Agent container",
  group: "Domains",
  role: "service",
  help: "A NixOS container running one CIM agent (services.cim-agent) against the instance's NATS.",
  buildsOn: NATS_AND_DATA_CLIENT,
  fields: {
    agentId: text({
      label: "Agent id",
      help: "Names the container cim-agent-<id>.",
      required: true,
      pattern: { source: "[a-z][a-z0-9-]{0,39}", hint: "lower-case letters, digits and '-', starting with a letter" },
      placeholder: "doc-processor",
    }),
    capabilities: strings({ label: "Capabilities", help: "What the agent does.", default: ["graph-analysis", "workflow-optimization"], placeholder: "graph-analysis" }),
    natsUrl: text({ label: "NATS URL", help: "Empty uses the instance's NATS server.", pattern: NATS_URL, placeholder: "nats://127.0.0.1:4222" }),
    autoStart: bool({ label: "Start at boot", help: "Start the container when the host boots.", default: true }),
    privateNetwork: bool({ label: "Private network", help: "Give the container its own network namespace.", default: false }),
    bindMounts: records(
      {
        mountPoint: text({ label: "In container", help: "Where the folder appears inside.", required: true, pattern: ABSOLUTE_PATH, placeholder: "/data" }),
        hostPath: text({ label: "On host", help: "The host folder.", required: true, pattern: ABSOLUTE_PATH, placeholder: "/var/lib/cim-agents/data" }),
        readOnly: bool({ label: "Read-only", help: "Mount without write access.", default: true }),
      },
      { label: "Bind mounts", help: "Host folders visible in the container." },
    ),
  },
  needsNats: true,
  claims: (c) => [`containers.${containerName(c.agentId)}`],
  units: (c) => [`container@${containerName(c.agentId)}.service`],
  cimModule: {
    lets: [[["agent"], sel(config, "services", "cim-agent")]],
    options: [
      [["services", "cim-agent"], attrs({
        enable: enable(str("a CIM agent")),
        package: described(sel(types, "package"), "The agent's package.", { default: sel(pkgs, "cim-agent"), defaultText: str("pkgs.cim-agent") }),
        agentId: described(sel(types, "str"), "The agent's id."),
        capabilities: described(listOfStr, "What the agent does.", { default: list([]) }),
        natsUrl: described(sel(types, "str"), "The NATS server the agent connects to.", { default: str(LOCAL_NATS) }),
      })],
    ],
    services: [agentUnit],
  },
  emit: ({ config: c, instance }) => ({
    options: {
      containers: {
        [containerName(c.agentId)]: {
          autoStart: c.autoStart,
          bindMounts: c.bindMounts.length > 0
            ? Object.fromEntries(c.bindMounts.map((m) => [m.mountPoint, { hostPath: m.hostPath, isReadOnly: m.readOnly }]))
            : undefined,
          config: {
            imports: expr(list([path("../../modules/cim.nix")])),
            services: {
              "cim-agent": {
                enable: true,
                agentId: c.agentId,
                capabilities: c.capabilities,
                natsUrl: c.natsUrl || natsUrlOf(instance),
              },
            },
            system: { stateVersion: instance.stateVersion },
          },
          privateNetwork: c.privateNetwork,
        },
      },
    },
  }),
});
