import { checkConfig, type FieldProblem } from "../catalog/check-config";
import { edgeMeaningProblem } from "../catalog/edges";
import type { InstanceView, Member } from "../catalog/kind";
import { kindOf } from "../catalog/registry";
import type { Design, DesignNode } from "../design/types";
import { findCycle } from "../graph";
import { instanceMembers } from "../design/instances";
import { nixStringProblem } from "../nix";
import { error, warning, type Diagnostic } from "./diagnostic";

export interface Instance {
  readonly node: DesignNode;
  readonly view: InstanceView;
}

/** A design read through the catalog: what validation checks and the compiler emits from. */
export interface Analysis {
  readonly diagnostics: Diagnostic[];
  /** By host id. Empty when the graph itself is broken (duplicate ids, dangling edges, cycle). */
  readonly instances: readonly Instance[];
}

// One list for every edge, rather than a literal made per edge.
const EDGE_ENDS = ["source", "target"] as const;

export function analyze(design: Design): Analysis {
  const diagnostics: Diagnostic[] = [];
  const nameProblem = nixStringProblem(design.name);
  if (nameProblem !== null) diagnostics.push(error("E_CONTROL_CHAR", `the design name: ${nameProblem}`, { path: "name" }));
  const index = new Map<string, number>();
  design.nodes.forEach((node, i) => {
    if (index.has(node.id)) {
      diagnostics.push(error("E_DUPLICATE_ID", `node id ${node.id} is also used by nodes[${index.get(node.id)}]; node ids must be unique`, { nodeId: node.id, path: `nodes[${i}].id` }));
    } else index.set(node.id, i);
  });
  const edgeIds = new Set<string>();
  design.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) diagnostics.push(error("E_DUPLICATE_ID", `edge id ${edge.id} is used twice; edge ids must be unique`, { path: `edges[${i}].id` }));
    edgeIds.add(edge.id);
    for (const end of EDGE_ENDS) {
      if (!index.has(edge[end])) {
        diagnostics.push(error("E_DANGLING_EDGE", `edge ${edge.id} points to node ${edge[end]}, which does not exist; remove the edge or add the node`, { path: `edges[${i}].${end}` }));
      }
    }
  });
  const resolved = new Map<string, Member>();
  design.nodes.forEach((node, i) => {
    const member = resolve(node, i, diagnostics);
    if (member && index.get(node.id) === i) resolved.set(node.id, member);
  });
  checkEdgeMeanings(design, resolved, diagnostics);
  if (diagnostics.some((d) => d.code === "E_DUPLICATE_ID" || d.code === "E_DANGLING_EDGE")) {
    return { diagnostics, instances: [] };
  }
  const ids = design.nodes.map((n) => n.id);
  const cycle = findCycle(ids, design.edges);
  if (cycle) {
    const first = cycle[0]!;
    diagnostics.push(error("E_CYCLE", `the nodes ${[...cycle, first].join(" → ")} form a cycle; remove one of these edges`, { nodeId: first, path: `nodes[${index.get(first)}]` }));
    return { diagnostics, instances: [] };
  }
  return { diagnostics, instances: instancesOf(design, resolved, diagnostics) };
}

/** The node at `nodes[i]` read through its kind, its problems reported. */
function resolve(node: DesignNode, i: number, out: Diagnostic[]): Member | undefined {
  const kind = kindOf(node.kind);
  if (!kind) {
    out.push(error("E_UNKNOWN_KIND", `unknown kind ${JSON.stringify(node.kind)}; the catalog has no such node`, { nodeId: node.id, path: `nodes[${i}].kind` }));
    return undefined;
  }
  const { value, problems } = checkConfig(kind.fields, node.config);
  const extra = problems.length === 0 ? (kind.check?.(value) ?? []) : [];
  for (const p of problems) out.push(error(p.controlChar ? "E_CONTROL_CHAR" : "E_FIELD", p.message, placeOf(node, i, p)));
  for (const p of extra) out.push(error(p.controlChar ? "E_CONTROL_CHAR" : "E_FIELD", p.message, placeOf(node, i, p)));
  if (problems.length === 0 && extra.length === 0) for (const p of kind.warnings?.(value) ?? []) out.push(warning("W_FIELD", p.message, placeOf(node, i, p)));
  return { node, kind, config: value };
}

/** Where a problem of the node at `nodes[i]` is: made for a problem only, not for every node. */
function placeOf(node: DesignNode, i: number, p: FieldProblem): { nodeId: string; field?: string; path: string } {
  const at = `nodes[${i}]`;
  const field = p.field === "" ? undefined : p.field;
  return { nodeId: node.id, ...(field ? { field } : {}), path: field ? `${at}.config${field.startsWith("[") ? "" : "."}${field}` : `${at}.config` };
}

/** Every edge whose target's kind does not build on its source's kind, reported on the edge. */
function checkEdgeMeanings(design: Design, resolved: ReadonlyMap<string, Member>, out: Diagnostic[]): void {
  design.edges.forEach((edge, i) => {
    const source = resolved.get(edge.source);
    const target = resolved.get(edge.target);
    if (!source || !target || edge.source === edge.target) return;
    const problem = edgeMeaningProblem({ id: edge.source, kind: source.kind }, { id: edge.target, kind: target.kind });
    if (problem) out.push(error("E_EDGE_KIND", `${problem}; remove the edge`, { edgeId: edge.id, path: `edges[${i}]` }));
  });
}

function instancesOf(design: Design, resolved: ReadonlyMap<string, Member>, out: Diagnostic[]): Instance[] {
  const found = instanceMembers(design.nodes, design.edges, (node) => resolved.get(node.id));
  const reached = new Set<string>();
  const byHost = new Map<string, string>();
  const instances: Instance[] = [];
  for (const { nodeId: root, host, members: ids, nested } of found) {
    for (const id of ids) reached.add(id);
    for (const id of nested) {
      reached.add(id);
      const inner = resolved.get(id)!;
      out.push(error("E_INSTANCE_EDGE", `instance ${host.hostId} builds on instance ${inner.kind.host!(inner.config).hostId}; instances cannot be nested — connect the shared nodes to both instead`, { nodeId: root }));
    }
    const twin = byHost.get(host.hostId);
    if (twin !== undefined) {
      // On both nodes: the person may have just typed either id, and that field must say so.
      const clash = (nodeId: string, other: string) =>
        error("E_DUPLICATE_INSTANCE", `instance id ${host.hostId} is also used by node ${other}; each instance needs its own id`, { nodeId, field: "id" });
      out.push(clash(root, twin), clash(twin, root));
      continue;
    }
    byHost.set(host.hostId, root);
    const members: Member[] = [];
    for (const id of ids) {
      const member = resolved.get(id);
      if (member) members.push(member);
    }
    const natsMember = members.find((m) => m.kind.natsServer);
    const nats = natsMember?.kind.natsServer?.(natsMember.config);
    // Object.assign rather than `{ ...host, members }`, which V8 builds slowly (see `hardened`).
    instances.push({ node: resolved.get(root)!.node, view: Object.assign({}, host, nats ? { members, nats } : { members }) });
  }
  if (found.length === 0) {
    out.push(error("E_NO_INSTANCE", "the design has no CIM instance, so its flake would define no host; add one (Hosts in the palette)"));
  }
  for (const node of design.nodes) {
    if (!reached.has(node.id) && resolved.has(node.id)) {
      out.push(warning("W_UNREACHABLE", "this node has no path to any CIM instance, so it is not exported; connect it to an instance", { nodeId: node.id }));
    }
  }
  return instances;
}
