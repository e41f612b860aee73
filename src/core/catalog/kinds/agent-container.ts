import { defineKind, type InstanceView } from "../kind";
import { bool, records, strings, text } from "../fields";
import { expr, union } from "../options";
import { ABSOLUTE_PATH, NATS_URL } from "../patterns";
import { natsTlsOf, natsUrlOf } from "../instance";
import { attrs, bind, call, id, interp, list, path, sel, selOr, str } from "../../nix";
import { NATS_AND_DATA_CLIENT } from "../builds-on";
import { config, described, enable, hardenedUnit, lib, listOfStr, LOCAL_NATS, startsAfterNetwork, types } from "../module-declarations";
import { CIM_DOMAIN_AGENT, fromPkgs, packageSource } from "./cim-domain";

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

const KIND = "agent-container";
const PROGRAM = "cim-agent";
const source = packageSource(PROGRAM, CIM_DOMAIN_AGENT);

/**
 * A container with its own network reaches the host over a veth pair: the n-th such container
 * of the instance (by agent id, from 1) gets 10.233.n.1 on the host side and 10.233.n.2 inside,
 * the range `nixos-container create` uses. 127.0.0.1 inside is the container's own loopback, so
 * its agent dials the host side.
 */
function vethAddresses(instance: InstanceView, agentId: string): { hostAddress: string; localAddress: string } {
  const ids = instance.members.filter((m) => m.kind.kind === KIND && m.config.privateNetwork === true).map((m) => String(m.config.agentId)).sort();
  const n = ids.indexOf(agentId) + 1;
  return { hostAddress: `10.233.${n}.1`, localAddress: `10.233.${n}.2` };
}

/**
 * A path as systemd-tmpfiles reads it: the line is split at white space and unquoted (inside
 * double quotes a backslash escapes the next character), then `%` specifiers are expanded. So
 * the path goes in double quotes with `"` and `\` escaped, and `%` is written `%%`.
 */
export const tmpfilesPath = (path: string): string => `"${path.replace(/["\\]/g, "\\$&").replaceAll("%", "%%")}"`;

export const agentContainer = defineKind({
  kind: KIND,
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
    privateNetwork: bool({
      label: "Private network",
      help: "Give the container its own network namespace, linked to the host by a veth pair: the n-th such container of the instance (by agent id) gets 10.233.n.1 on the host and 10.233.n.2 inside, and its agent reaches the instance's NATS server at 10.233.n.1.",
      default: false,
    }),
    bindMounts: records(
      {
        mountPoint: text({ label: "In container", help: "Where the folder appears inside.", required: true, pattern: ABSOLUTE_PATH, placeholder: "/data" }),
        hostPath: text({ label: "On host", help: "The host folder.", required: true, pattern: ABSOLUTE_PATH, placeholder: "/var/lib/cim-agents/data" }),
        readOnly: bool({ label: "Read-only", help: "Mount without write access.", default: true }),
      },
      { label: "Bind mounts", help: "Host folders visible in the container." },
    ),
    source: source.field,
  },
  needsNats: true,
  claims: (c) => [`containers.${containerName(c.agentId)}`],
  units: (c) => [`container@${containerName(c.agentId)}.service`],
  cimPackages: (c) => source.packages(c.source),
  cimModule: {
    lets: [[["agent"], sel(config, "services", "cim-agent")]],
    options: [
      [["services", "cim-agent"], attrs({
        enable: enable(str("a CIM agent")),
        package: described(sel(types, "package"), "The agent's package.", {
          default: fromPkgs(str(PROGRAM), str("services.cim-agent.package")),
          defaultText: str(`pkgs.${PROGRAM}`),
        }),
        agentId: described(sel(types, "str"), "The agent's id."),
        capabilities: described(listOfStr, "What the agent does.", { default: list([]) }),
        natsUrl: described(sel(types, "str"), "The NATS server the agent connects to.", { default: str(LOCAL_NATS) }),
      })],
    ],
    services: [agentUnit],
  },
  emit: ({ config: c, instance }) => {
    const veth = c.privateNetwork ? vethAddresses(instance, c.agentId) : undefined;
    // Over its own network the agent dials the host side of the veth pair, so the instance's
    // NATS server (services.nats.host defaults to 127.0.0.1) listens on every address, and the
    // host's firewall lets the client port in on the containers' interfaces (`ve-<name>`;
    // iptables reads `+` as any suffix) and nowhere else it did not already.
    const viaVeth = veth && instance.nats && !c.natsUrl ? { ...veth, port: instance.nats.port } : undefined;
    // A server with TLS takes only TLS clients, by the certificate's name: the container has an
    // /etc/hosts of its own, which maps that name to where the server is seen from inside.
    const tls = instance.nats && !c.natsUrl ? natsTlsOf(instance) : undefined;
    const natsUrl = c.natsUrl || (tls ? natsUrlOf(instance) : viaVeth ? `nats://${viaVeth.hostAddress}:${viaVeth.port}` : natsUrlOf(instance));
    return {
      options: {
        containers: {
          [containerName(c.agentId)]: {
            autoStart: c.autoStart,
            bindMounts: c.bindMounts.length > 0
              ? Object.fromEntries(c.bindMounts.map((m) => [m.mountPoint, { hostPath: m.hostPath, isReadOnly: m.readOnly }]))
              : undefined,
            config: {
              imports: expr(list([path("../../modules/cim.nix")])),
              // A container evaluates its own nixpkgs (containers.<name>.nixpkgs, the host's
              // pkgs.path): without the host's overlays it would have no CIM programs.
              // (`or [ ]` only for module evaluators that do not declare nixpkgs.overlays, as NixOS does.)
              nixpkgs: { overlays: expr(selOr(config, ["nixpkgs", "overlays"], list([]))) },
              services: {
                "cim-agent": {
                  enable: true,
                  agentId: c.agentId,
                  capabilities: c.capabilities,
                  natsUrl,
                },
              },
              networking: tls ? { hosts: { [viaVeth?.hostAddress ?? "127.0.0.1"]: [tls.serverName] } } : undefined,
              system: { stateVersion: instance.stateVersion },
            },
            privateNetwork: c.privateNetwork,
            hostAddress: veth?.hostAddress,
            localAddress: veth?.localAddress,
          },
        },
        networking: viaVeth ? { firewall: { interfaces: { "ve-+": { allowedTCPPorts: [viaVeth.port] } } } } : undefined,
        services: viaVeth ? { nats: { host: "0.0.0.0" } } : undefined,
        // systemd-nspawn refuses to start a container whose bind-mount source does not exist.
        systemd: c.bindMounts.length > 0 ? { tmpfiles: { rules: union(c.bindMounts.map((m) => `d ${tmpfilesPath(m.hostPath)} - - - -`)) } } : undefined,
      },
    };
  },
});
