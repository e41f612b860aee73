import { defineKind } from "../kind";
import { repeatedNames } from "../check-config";
import { bool, int, records, strings, text } from "../fields";
import { INTERFACE_NAME, IPV4 } from "../patterns";
import { SETTINGS_ONLY } from "../builds-on";

export const network = defineKind({
  kind: "network",
  label: "Network",
  group: "Hosts",
  role: "setting",
  help: "DHCP or static addresses, the default gateway and name servers.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    useDHCP: bool({ label: "Use DHCP", help: "Configure interfaces by DHCP.", default: true }),
    interfaces: records(
      {
        name: text({ label: "Interface", help: "The interface name.", required: true, pattern: INTERFACE_NAME, placeholder: "eth0" }),
        address: text({ label: "Address", help: "A static IPv4 address.", required: true, pattern: IPV4, placeholder: "10.0.0.10" }),
        prefixLength: int({ label: "Prefix length", help: "The network's prefix length.", default: 24, min: 0, max: 32 }),
      },
      { label: "Static addresses", help: "IPv4 addresses assigned to interfaces." },
    ),
    defaultGateway: text({ label: "Default gateway", help: "The IPv4 default gateway.", pattern: IPV4, placeholder: "10.0.0.1" }),
    nameservers: strings({ label: "Name servers", help: "IPv4 addresses of DNS servers.", itemPattern: IPV4, placeholder: "1.1.1.1" }),
    predictableNames: bool({
      label: "Predictable interface names",
      help: "NixOS names interfaces by where the card sits (enp3s0, ens18, eno1). Off: the kernel's names, eth0 for the first card.",
      default: true,
    }),
  },
  check: (c) => repeatedNames(c.interfaces, "interfaces", "name", (name) => `interface ${name} is listed twice; give it one entry`),
  // networking.usePredictableInterfaceNames is on by default: eth0 then exists only on machines
  // whose cards give systemd nothing to name them by.
  warnings: (c) =>
    c.predictableNames
      ? c.interfaces.flatMap((itf, i) =>
          /^(eth|wlan)[0-9]+$/.test(itf.name)
            ? [{ field: `interfaces[${i}].name`, message: `NixOS names interfaces predictably (enp3s0, ens18, eno1), so ${itf.name} exists only where the kernel finds no better name; use the name \`ip link\` shows on the machine, or turn off Predictable interface names` }]
            : [],
        )
      : [],
  emit: ({ config: c }) => {
    const interfaces = Object.fromEntries(
      c.interfaces.map((itf) => [itf.name, { ipv4: { addresses: [{ address: itf.address, prefixLength: itf.prefixLength }] } }]),
    );
    return {
      options: {
        networking: {
          defaultGateway: c.defaultGateway || undefined,
          interfaces,
          nameservers: c.nameservers.length > 0 ? c.nameservers : undefined,
          usePredictableInterfaceNames: c.predictableNames ? undefined : false,
          useDHCP: c.useDHCP,
        },
      },
    };
  },
});
