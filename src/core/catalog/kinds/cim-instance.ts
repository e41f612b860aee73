import { defineKind } from "../kind";
import { oneOf, strings, text } from "../fields";
import { ABSOLUTE_PATH, HOST_ID } from "../patterns";
import { SETTINGS_AND_SERVICES } from "../builds-on";
import { attrs, binary, call, id, list, sel, str } from "../../nix";
import { config, described, listOfStr, toJson, types } from "../module-declarations";

const instanceOption = sel(config, "cim", "instance");

export const cimInstance = defineKind({
  kind: "cim-instance",
  label: "CIM instance (a NixOS host)",
  group: "Hosts",
  role: "instance",
  help: "A NixOS host. Everything with a path to it is part of its configuration; it becomes nixosConfigurations.<id>.",
  buildsOn: SETTINGS_AND_SERVICES,
  fields: {
    id: text({ label: "Id", help: "The flake attribute and the host name.", required: true, pattern: HOST_ID, placeholder: "cim-prod-001" }),
    name: text({ label: "Name", help: "A name for people.", placeholder: "Production CIM Instance 001" }),
    location: text({ label: "Location", help: "Where the host runs.", placeholder: "us-east-1" }),
    capabilities: strings({ label: "Capabilities", help: "What this instance offers (graph, workflow, agent, …).", placeholder: "graph" }),
    system: oneOf(["x86_64-linux", "aarch64-linux"], { label: "System", help: "The host's platform.", default: "x86_64-linux" }),
    targetHost: text({
      label: "Target host",
      help: "Where nixos-rebuild deploys to, if not deployed by a leaf executor.",
      pattern: { source: "([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+", hint: "user@host, e.g. root@cim-001.example.com" },
      placeholder: "root@cim-001.example.com",
    }),
    stateVersion: text({
      label: "State version",
      help: "The NixOS release the host's state was created with; keep it once set.",
      default: "24.05",
      required: true,
      pattern: { source: "[0-9]{2}\\.[0-9]{2}", hint: "a NixOS release such as 24.05" },
    }),
    leafId: text({
      label: "Leaf executor",
      help: "The id of the leaf executor that deploys this instance.",
      // A leaf id is a NATS subject token (cim.deploy.commands.<leaf>): no '.'.
      pattern: { source: "[A-Za-z0-9_-]{1,64}", hint: "letters, digits, '_' and '-'" },
      placeholder: "leaf-001",
    }),
    executorCredentials: text({
      label: "Executor credentials",
      help: "With a leaf executor: its NATS credentials file on the host (alchemist creds --leaf-id), read at run time and never copied into the Nix store.",
      pattern: ABSOLUTE_PATH,
      placeholder: "/run/agenix/executor-leaf-001.creds",
    }),
    trustedKeys: strings({
      label: "Trusted keys",
      help: "With a leaf executor: the public keys whose signed commands it runs (alchemist creds --person prints one), each with an optional name after a space.",
      itemPattern: { source: "U[A-Z2-7]{55}( [^\\n]*)?", hint: "a public key starting with U (56 characters), optionally followed by a space and a name" },
      placeholder: "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4 alice",
    }),
  },
  hostIdField: "id",
  host: (c) => ({
    hostId: c.id,
    stateVersion: c.stateVersion,
    ...(c.name ? { name: c.name } : {}),
    system: c.system,
    ...(c.leafId
      ? {
          leafId: c.leafId,
          executor: { ...(c.executorCredentials ? { credentialsFile: c.executorCredentials } : {}), credentialsField: "executorCredentials", trustedKeys: c.trustedKeys, trustedKeysField: "trustedKeys" },
        }
      : {}),
    ...(c.targetHost ? { targetHost: c.targetHost } : {}),
  }),
  summary: (c) => [{ name: "host", value: c.id || "—" }, { name: "system", value: c.system }, ...(c.targetHost ? [{ name: "deploy to", value: c.targetHost }] : [])],
  // The options `emit` writes, and /etc/cim/instance.json for the CIM programs to read them.
  cimModule: {
    options: [
      [["cim", "instance"], attrs({
        id: described(sel(types, "str"), "The instance id (also its host name).", { default: str("") }),
        name: described(sel(types, "str"), "A name for people.", { default: str("") }),
        location: described(sel(types, "str"), "Where the instance runs.", { default: str("") }),
        capabilities: described(listOfStr, "What the instance offers.", { default: list([]) }),
      })],
    ],
    config: [
      [["environment", "etc", "cim/instance.json"], call(
        id("mkIf"),
        binary(sel(instanceOption, "id"), "!=", str("")),
        attrs({ text: toJson(instanceOption) }),
      )],
    ],
  },
  emit: ({ config: c }) => ({
    options: {
      cim: {
        instance: {
          id: c.id,
          name: c.name || undefined,
          location: c.location || undefined,
          capabilities: c.capabilities.length > 0 ? c.capabilities : undefined,
        },
      },
      networking: { hostName: c.id },
      nixpkgs: { hostPlatform: c.system },
      system: { stateVersion: c.stateVersion },
    },
  }),
});
