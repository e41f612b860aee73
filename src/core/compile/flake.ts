import type { CimPackage, FlakeInput } from "../catalog/kind";
import { compare } from "../order";
import {
  attrs,
  bind,
  call,
  fn,
  formals,
  id,
  ifThenElse,
  importPath,
  interp,
  letIn,
  list,
  path,
  sel,
  selOr,
  str,
  type NixAttrEntry,
  type NixExpr,
} from "../nix";
import { error, type Diagnostic } from "../validate/diagnostic";
import { hostFolder } from "./paths";

/** Where each optional input comes from and the module it adds to every host that uses it. */
const INPUTS: Readonly<Record<FlakeInput, { url: string; module: string }>> = {
  agenix: { url: "github:ryantm/agenix", module: "default" },
  "sops-nix": { url: "github:Mic92/sops-nix", module: "sops" },
};

const NIXPKGS = "github:NixOS/nixpkgs/nixos-24.11";

/** The Alchemist project's flake: `nixosModules.executor` and `packages.<system>.alchemist`. */
export const ALCHEMIST = "github:TheCowboyAI/alchemist";

/** A CIM program one node of a host runs. */
export interface HostPackage extends CimPackage {
  readonly nodeId: string;
  /** The node for people: `node graph (Graph domain)`. */
  readonly node: string;
}

export interface FlakeHost {
  readonly id: string;
  /** The platform, e.g. `x86_64-linux`. */
  readonly system: string;
  readonly inputs: ReadonlySet<FlakeInput>;
  readonly packages: readonly HostPackage[];
  /** Runs its leaf executor, whose module and package come from the `alchemist` input. */
  readonly executor: boolean;
}

/**
 * The CIM flakes the hosts' programs come from, input name → URL. flake.lock pins one revision
 * per input, so one input has one URL: a node that names it with another is an error on its
 * package source, and the first URL (by host id, then the hosts' node order) stands.
 */
export function cimInputs(hosts: readonly FlakeHost[]): { urls: Map<string, string>; diagnostics: Diagnostic[] } {
  const urls = new Map<string, { url: string; nodeId: string }>();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const p of hosts.flatMap((h) => h.packages)) {
    const first = urls.get(p.input);
    if (!first) urls.set(p.input, { url: p.url, nodeId: p.nodeId });
    else if (first.url !== p.url && !reported.has(`${p.nodeId}\u0000${p.input}`)) {
      reported.add(`${p.nodeId}\u0000${p.input}`);
      diagnostics.push(
        error("E_FIELD", `the flake input ${p.input} comes from ${first.url} for node ${first.nodeId} and from ${p.url} here; flake.nix has one URL per input, so give both nodes the same package source`, { nodeId: p.nodeId, field: p.field }),
      );
    }
  }
  return { urls: new Map([...urls].map(([name, { url }]) => [name, url])), diagnostics };
}

const builtin = (name: string, ...args: NixExpr[]): NixExpr => call(sel(id("builtins"), name), ...args);

/**
 * `cimPackage final node input name`: the program `name` from the flake input `input`, as the
 * host's overlay gives it to `pkgs`. A flake without it fails evaluation with a message naming
 * the node, not with "attribute missing".
 */
const cimPackageFunction: NixExpr = fn("final", fn("node", fn("input", fn("name", letIn(
  [
    bind(["system"], sel(id("final"), "stdenv", "hostPlatform", "system")),
    bind(["all"], selOr(builtin("getAttr", id("input"), id("inputs")), ["packages"], attrs({}))),
    bind(["packages"], ifThenElse(builtin("hasAttr", id("system"), id("all")), builtin("getAttr", id("system"), id("all")), attrs({}))),
  ],
  ifThenElse(
    builtin("hasAttr", id("name"), id("packages")),
    builtin("getAttr", id("name"), id("packages")),
    selOr(id("packages"), ["default"], call(id("throw"), interp(
      id("node"), " runs pkgs.", id("name"), ", but the flake input ", id("input"), " provides neither packages.", id("system"), ".", id("name"),
      " nor packages.", id("system"), ".default; set the node's Package source to a flake that provides it",
    ))),
  ),
)))));

/** `{ nixpkgs.overlays = [ (final: prev: { cim-graph-domain = cimPackage final "…" "cim-domain-graph" "cim-graph-domain"; }) ]; }` */
function overlayModule(host: FlakeHost): NixExpr | undefined {
  // Built for every host: one list per program, grown in place, rather than a copy per package.
  const byAttr = new Map<string, HostPackage[]>();
  for (const p of host.packages) {
    const users = byAttr.get(p.attr);
    if (users) users.push(p);
    else byAttr.set(p.attr, [p]);
  }
  if (byAttr.size === 0) return undefined;
  const programs = [...byAttr.keys()].sort(compare).map((attr) => {
    const users = byAttr.get(attr)!;
    const nodes = users.length === 1 ? users[0]!.node : [...new Set(users.map((u) => u.node))].join(", ");
    return bind([attr], call(id("cimPackage"), id("final"), str(`${nodes} of instance ${host.id}`), str(users[0]!.input), str(attr)));
  });
  return attrs([bind(["nixpkgs", "overlays"], list([fn("final", fn("prev", attrs(programs)))]))]);
}

/** The leaf executor's module and, for the host's platform, its package. */
const executorModules = (h: FlakeHost): NixExpr[] => [
  sel(id("inputs"), "alchemist", "nixosModules", "executor"),
  attrs([bind(["services", "alchemist-executor", "package"], sel(id("inputs"), "alchemist", "packages", h.system, "alchemist"))]),
];

export function flake(description: string, hosts: readonly FlakeHost[], cim: ReadonlyMap<string, string>): NixExpr {
  const used = [...new Set(hosts.flatMap((h) => [...h.inputs]))].sort();
  const executors = hosts.some((h) => h.executor);
  const inputs: NixAttrEntry[] = [
    bind(["nixpkgs", "url"], str(NIXPKGS)),
    ...(executors ? [bind(["alchemist"], attrs([bind(["url"], str(ALCHEMIST)), bind(["inputs", "nixpkgs", "follows"], str("nixpkgs"))]))] : []),
    ...[...cim].sort(([a], [b]) => compare(a, b)).map(([name, url]) => bind([name, "url"], str(url))),
    ...used.map((name) => bind([name], attrs([bind(["url"], str(INPUTS[name].url)), bind(["inputs", "nixpkgs", "follows"], str("nixpkgs"))]))),
  ];
  const configurations = hosts.map((h) => {
    const overlay = overlayModule(h);
    return bind([h.id], call(sel(id("nixpkgs"), "lib", "nixosSystem"), attrs({
      modules: list([
        sel(id("self"), "nixosModules", "cim"),
        ...[...h.inputs].sort().map((name) => sel(id("inputs"), name, "nixosModules", INPUTS[name].module)),
        ...(overlay ? [overlay] : []),
        ...(h.executor ? executorModules(h) : []),
        path(`./${hostFolder(h.id)}`),
      ]),
    })));
  });
  const outputs = attrs([
    bind(["nixosConfigurations"], attrs(configurations)),
    bind(["nixosModules", "cim"], importPath("./modules/cim.nix")),
  ]);
  return attrs([
    bind(["description"], str(description)),
    bind(["inputs"], attrs(inputs)),
    bind(["outputs"], fn(
      formals(["self", "nixpkgs"], { as: "inputs" }),
      cim.size > 0 ? letIn([bind(["cimPackage"], cimPackageFunction, "The CIM program `name` from the flake input `input`, for the overlay of a host whose `node` runs it.")], outputs) : outputs,
    )),
  ]);
}
