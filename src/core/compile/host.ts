import type { FlakeInput, InstanceView, Member } from "../catalog/kind";
import { union, type OptionTree } from "../catalog/options";
import type { DesignEdge } from "../design/types";
import { compare } from "../order";
import { attrs, bind, fn, list, path, type NixExpr } from "../nix";
import type { Diagnostic } from "../validate/diagnostic";
import { HostOptions } from "./host-options";
import { importedFile } from "./paths";

export interface HostOutput {
  /** hosts/<id>/default.nix as an expression. */
  readonly module: NixExpr;
  /** Files under hosts/<id>/imports/, verbatim. */
  readonly importedFiles: ReadonlyMap<string, string>;
  readonly flakeInputs: ReadonlySet<FlakeInput>;
  readonly diagnostics: readonly Diagnostic[];
}

/** The host module of one instance: what its nodes emit, plus the order its edges imply. */
export function hostModule(view: InstanceView, edges: readonly DesignEdge[]): HostOutput {
  const options = new HostOptions(view.hostId);
  const importedFiles = new Map<string, string>();
  const flakeInputs = new Set<FlakeInput>();
  for (const m of view.members) {
    const emission = m.kind.emit({ node: m.node, config: m.config, instance: view });
    if (emission.options) options.add(emission.options, m.node.id);
    for (const [name, text] of Object.entries(emission.importedFiles ?? {})) importedFiles.set(name, text);
    for (const input of emission.flakeInputs ?? []) flakeInputs.add(input);
  }
  for (const [nodeId, tree] of unitOrdering(view.members, edges)) options.add(tree, nodeId);
  const imports = [...importedFiles.keys()].sort(compare).map((name) => path(`./${importedFile(name)}`));
  const body = imports.length > 0 ? [...options.entries(), bind(["imports"], list(imports))] : options.entries();
  return {
    module: fn(["config", "lib", "pkgs"], attrs(body)),
    importedFiles,
    flakeInputs,
    diagnostics: options.diagnostics,
  };
}

/**
 * An edge between two services means the target starts after the source and pulls it in:
 * every unit of the target gets `after` and `wants` on every unit of the source.
 */
function unitOrdering(members: readonly Member[], edges: readonly DesignEdge[]): [string, OptionTree][] {
  const byId = new Map(members.map((m) => [m.node.id, m]));
  const out: [string, OptionTree][] = [];
  for (const edge of edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    const before = source?.kind.units?.(source.config) ?? [];
    const after = target?.kind.units?.(target.config) ?? [];
    if (!target || before.length === 0) continue;
    for (const unit of after) {
      const service = unit.replace(/\.service$/, "");
      out.push([target.node.id, { systemd: { services: { [service]: { after: union(before), wants: union(before) } } } }]);
    }
  }
  return out;
}
