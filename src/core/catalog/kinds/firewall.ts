import { defineKind } from "../kind";
import { ports, text } from "../fields";
import { CIDR } from "../patterns";
import { exposedPorts } from "../instance";
import { ROUTE_PORT } from "./nats-hub";
import { SETTINGS_AND_SERVICES } from "../builds-on";

export const firewall = defineKind({
  kind: "firewall",
  label: "Firewall",
  group: "Security",
  role: "setting",
  help: "Opens the ports of every service in the instance, plus any you add.",
  buildsOn: SETTINGS_AND_SERVICES,
  fields: {
    extraTCPPorts: ports({ label: "Extra TCP ports", help: "Ports to open besides those of the instance's services." }),
    restrictRoutesTo: text({
      label: "NATS routes from",
      help: `Accept NATS cluster routes (port ${ROUTE_PORT}) only from this network.`,
      pattern: CIDR,
      placeholder: "10.0.0.0/8",
    }),
  },
  emit: ({ config: c, instance }) => {
    const open = new Set([...exposedPorts(instance), ...c.extraTCPPorts]);
    if (c.restrictRoutesTo) open.delete(ROUTE_PORT);
    return {
      options: {
        networking: {
          firewall: {
            enable: true,
            allowedTCPPorts: [...open].sort((a, b) => a - b),
            extraCommands: c.restrictRoutesTo
              ? `iptables -A nixos-fw -p tcp --dport ${ROUTE_PORT} -s ${c.restrictRoutesTo} -j nixos-fw-accept\n`
              : undefined,
          },
        },
      },
    };
  },
});
