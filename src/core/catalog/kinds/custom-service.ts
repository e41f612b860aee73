import { defineKind } from "../kind";
import { stringMap, text } from "../fields";
import { union } from "../options";
import { hardened } from "../systemd";
import { UNIT_NAME } from "../patterns";
import { SETTINGS_AND_SERVICES } from "../builds-on";

export const customService = defineKind({
  kind: "custom-service",
  label: "Custom service",
  group: "Domains",
  role: "service",
  help: "Any program, run as a hardened systemd service.",
  buildsOn: SETTINGS_AND_SERVICES,
  fields: {
    name: text({ label: "Name", help: "The systemd unit name.", required: true, pattern: UNIT_NAME, placeholder: "invoice-processor" }),
    execStart: text({ label: "Command", help: "The command line systemd runs (ExecStart).", required: true, placeholder: "/run/current-system/sw/bin/invoice-processor --port 8080" }),
    environment: stringMap({ label: "Environment", help: "Environment variables.", keyPattern: { source: "[A-Za-z_][A-Za-z0-9_]{0,127}", hint: "an environment variable name" } }),
    memoryMax: text({ label: "Memory limit", help: "systemd MemoryMax.", pattern: { source: "[0-9]+[KMGT]?", hint: "bytes with an optional K, M, G or T, e.g. 4G" }, placeholder: "4G" }),
    cpuQuota: text({ label: "CPU quota", help: "systemd CPUQuota.", pattern: { source: "[0-9]{1,5}%", hint: "a percentage, e.g. 200%" }, placeholder: "200%" }),
  },
  claims: (c) => [`systemd.services.${c.name}`],
  units: (c) => [`${c.name}.service`],
  emit: ({ config: c }) => ({
    options: {
      systemd: {
        services: {
          [c.name]: {
            description: c.name,
            after: union(["network.target"]),
            wantedBy: ["multi-user.target"],
            environment: Object.keys(c.environment).length > 0 ? c.environment : undefined,
            serviceConfig: hardened({
              CPUQuota: c.cpuQuota || undefined,
              ExecStart: c.execStart,
              MemoryMax: c.memoryMax || undefined,
            }),
          },
        },
      },
    },
  }),
});
