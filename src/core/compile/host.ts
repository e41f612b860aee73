import type { FlakeInput, InstanceView, Member } from "../catalog/kind";
import { union, type OptionTree } from "../catalog/options";
import type { DesignEdge } from "../design/types";
import { compare } from "../order";
import { attrs, bind, fn, list, path, type NixExpr } from "../nix";
import { natsUrlOf } from "../catalog/instance";
import { error, warning, type Diagnostic } from "../validate/diagnostic";
import type { HostPackage } from "./flake";
import { HostOptions } from "./host-options";
import { importedFile } from "./paths";

export interface HostOutput {
  /** hosts/<id>/default.nix as an expression. */
  readonly module: NixExpr;
  /** Files under hosts/<id>/imports/, verbatim. */
  readonly importedFiles: ReadonlyMap<string, string>;
  readonly flakeInputs: ReadonlySet<FlakeInput>;
  /** The CIM programs its nodes run, in member order. */
  readonly packages: readonly HostPackage[];
  /** Whether the host runs its leaf executor (`services.alchemist-executor`, from the `alchemist` input). */
  readonly executor: boolean;
  /** Errors: the host module cannot be written. */
  readonly diagnostics: readonly Diagnostic[];
  /** Warnings: it can, but will not work until the person adds something. */
  readonly warnings: readonly Diagnostic[];
}

/**
 * The host module of one instance: what its nodes emit, plus the order its edges imply.
 * `incoming`: the design's edges by target.
 */
export function hostModule(view: InstanceView, incoming: ReadonlyMap<string, readonly DesignEdge[]>): HostOutput {
  const options = new HostOptions(view.hostId);
  const importedFiles = new Map<string, string>();
  const flakeInputs = new Set<FlakeInput>();
  const packages: HostPackage[] = [];
  for (const m of view.members) {
    // Fields named rather than `{ ...p, nodeId }`, which V8 builds slowly (see `hardened`).
    for (const p of m.kind.cimPackages?.(m.config) ?? []) {
      packages.push({ attr: p.attr, input: p.input, url: p.url, field: p.field, nodeId: m.node.id, node: `node ${m.node.id} (${m.kind.label})` });
    }
    const emission = m.kind.emit({ node: m.node, config: m.config, instance: view });
    if (emission.options) options.add(emission.options, m.node.id);
    for (const [name, text] of Object.entries(emission.importedFiles ?? {})) importedFiles.set(name, text);
    for (const input of emission.flakeInputs ?? []) flakeInputs.add(input);
  }
  for (const [nodeId, tree] of unitOrdering(view.members, incoming)) options.add(tree, nodeId);
  const executor = leafExecutor(view);
  if (executor.options) options.add(executor.options, executor.nodeId);
  const imports = [...importedFiles.keys()].sort(compare).map((name) => path(`./${importedFile(name)}`));
  const body = imports.length > 0 ? [...options.entries(), bind(["imports"], list(imports))] : options.entries();
  return {
    module: fn(["config", "lib", "pkgs"], attrs(body)),
    importedFiles,
    flakeInputs,
    packages,
    executor: executor.options !== undefined,
    diagnostics: [...options.diagnostics, ...executor.errors],
    warnings: executor.warnings,
  };
}

/**
 * A host deployed by a leaf executor runs that executor itself: a switch to a configuration
 * without `services.alchemist-executor` would stop it in the middle of the deployment (NixOS
 * stops the units a new configuration no longer has), leaving the leaf unreachable. It talks to
 * the hub through the instance's NATS server and deploys only this instance.
 */
function leafExecutor(view: InstanceView): { options?: OptionTree; nodeId: string; errors: Diagnostic[]; warnings: Diagnostic[] } {
  const nodeId = view.members.find((m) => m.kind.role === "instance")?.node.id ?? "";
  const none = { nodeId, errors: [], warnings: [] };
  if (!view.leafId || !view.executor) return none;
  const natsUrl = natsUrlOf(view);
  if (!natsUrl) {
    return {
      ...none,
      errors: [error("E_NO_NATS", `instance ${view.hostId} is deployed by the leaf executor ${view.leafId}, which reaches the hub through the instance's NATS leaf node, and the instance has none; connect a NATS leaf node to it`, { nodeId })],
    };
  }
  const { credentialsFile, credentialsField, trustedKeys, trustedKeysField } = view.executor;
  const warnings = [
    ...(credentialsFile ? [] : [
      warning("W_EXECUTOR_CREDS", `the leaf executor ${view.leafId} of instance ${view.hostId} has no credentials file, and the hub takes no connection without credentials; give the path of its executor-${view.leafId}.creds on the host (alchemist creds --leaf-id ${view.leafId} makes it)`, { nodeId, field: credentialsField }),
    ]),
    ...(trustedKeys.length > 0 ? [] : [
      warning("W_EXECUTOR_KEYS", `the leaf executor ${view.leafId} of instance ${view.hostId} would run only commands signed by its trusted keys, and none is given, so NixOS refuses the configuration; add the public key of everyone who deploys to it (alchemist creds --person NAME prints one)`, { nodeId, field: trustedKeysField }),
    ]),
  ];
  return {
    nodeId,
    errors: [],
    warnings,
    options: {
      services: {
        "alchemist-executor": {
          enable: true,
          leafId: view.leafId,
          natsUrl,
          credentialsFile,
          trustedKeys: trustedKeys.length > 0 ? trustedKeys : undefined,
          instances: [view.hostId],
        },
      },
    },
  };
}

/**
 * An edge between two services means the target starts after the source and pulls it in:
 * every unit of the target gets `after` and `wants` on every unit of the source.
 */
function unitOrdering(members: readonly Member[], incoming: ReadonlyMap<string, readonly DesignEdge[]>): [string, OptionTree][] {
  // Each member's units once, not once per edge it is the source of.
  const unitsOf = new Map<string, readonly string[]>();
  for (const m of members) {
    const units = m.kind.units?.(m.config);
    if (units !== undefined && units.length > 0) unitsOf.set(m.node.id, units);
  }
  const out: [string, OptionTree][] = [];
  for (const target of members) {
    // The small map first: a look-up among all the design's edges costs more.
    const after = unitsOf.get(target.node.id);
    const edges = after && incoming.get(target.node.id);
    if (!edges) continue;
    for (const edge of edges) {
      const before = unitsOf.get(edge.source);
      if (!before) continue;
      // One value for both lists and every unit: option values are never changed in place.
      const sources = union(before);
      const order = { after: sources, wants: sources };
      for (const unit of after) {
        // Assigned rather than a computed key (`{ [service]: … }`), which V8 builds slowly.
        const services: Record<string, OptionTree> = {};
        services[unit.endsWith(".service") ? unit.slice(0, -".service".length) : unit] = order;
        out.push([target.node.id, { systemd: { services } }]);
      }
    }
  }
  return out;
}
