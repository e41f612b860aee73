import { defineKind, type BuildsOn, type CimModulePart, type CimPackage, type DomainDeclaration, type Kind } from "../kind";
import { port, text, type ConfigOf, type Fields, type IntField, type Pattern, type StringField } from "../fields";
import type { OptionTree } from "../options";
import { natsUrlOf } from "../instance";
import { compare } from "../../order";
import { attrs, call, fn, id, ifThenElse, int, interp, list, sel, str, type NixExpr } from "../../nix";
import { config, described, enable, hardenedUnit, lib, LOCAL_NATS, pkgs, startsAfterNetwork, toJson, types } from "../module-declarations";

/**
 * Where a CIM program comes from: a flake, which flake.nix takes as the input `input`. The
 * defaults are the CIM project's flakes, each of which provides its program as
 * `packages.<system>.default`.
 */
export interface CimSource {
  readonly input: string;
  readonly url: string;
}

export const CIM_DOMAIN_AGENT: CimSource = { input: "cim-domain-agent", url: "github:TheCowboyAI/cim-domain-agent" };

const FLAKE_REF: Pattern = {
  source: "[a-z][a-z0-9+.-]*:[^\\s]+",
  hint: "a flake reference such as github:TheCowboyAI/cim-domain-graph, git+https://git.example.com/cim-domain-graph or path:/srv/cim-domain-graph",
};

/** The field a node names its program's flake in, and the hook that reads it. */
export function packageSource(program: string, source: CimSource): { field: StringField; packages: (url: string) => CimPackage[] } {
  return {
    field: text({
      label: "Package source",
      help: `The flake providing ${program} (its packages.<system>.${program}, else packages.<system>.default); flake.nix takes it as the input ${source.input}, which every node naming that input takes from one URL.`,
      default: source.url,
      required: true,
      pattern: FLAKE_REF,
    }),
    packages: (url) => [{ attr: program, input: source.input, url, field: "source" }],
  };
}

/**
 * The three CIM domains differ only in their settings: each runs as `cim-<name>-domain` (declared in
 * modules/cim.nix), talks to the instance's NATS server and serves metrics on its own port.
 */
export interface DomainDescription<F extends Fields> {
  readonly kind: string;
  readonly name: string;
  readonly label: string;
  readonly help: string;
  readonly buildsOn: BuildsOn;
  readonly fields: F;
  readonly metricsPort: number;
  /** Where the domain's program (`cim-<name>-domain`) comes from by default. */
  readonly source: CimSource;
  readonly settings: (c: ConfigOf<F>) => OptionTree;
}

type WithMetrics<F extends Fields> = F & { readonly metricsPort: IntField<number>; readonly source: StringField };

export function domainKind<F extends Fields>(d: DomainDescription<F>): Kind {
  const unit = `cim-${d.name}-domain`;
  const source = packageSource(unit, d.source);
  const fields: WithMetrics<F> = {
    ...d.fields,
    metricsPort: port({ label: "Metrics port", help: "Where Prometheus scrapes the domain's metrics.", default: d.metricsPort }),
    source: source.field,
  };
  return defineKind<WithMetrics<F>>({
    kind: d.kind,
    label: d.label,
    group: "Domains",
    role: "service",
    help: d.help,
    buildsOn: d.buildsOn,
    fields,
    domain: { name: d.name, metricsPort: d.metricsPort },
    needsNats: true,
    claims: () => [`cim.domains.${d.name}`],
    units: () => [`${unit}.service`],
    dataDirs: () => [`/var/lib/private/${unit}`],
    metrics: (c) => [{ job: unit, port: c.metricsPort }],
    ports: (c) => [{ port: c.metricsPort, label: `${d.label} metrics`, field: "metricsPort", exposed: false }],
    cimPackages: (c) => source.packages(c.source),
    emit: ({ config: c, instance }) => ({
      options: {
        cim: { domains: { [d.name]: { enable: true, metricsPort: c.metricsPort, natsUrl: natsUrlOf(instance), settings: d.settings(c) } } },
      },
    }),
  });
}

const name = id("name");
const cfg = id("cfg");
/** `"cim-${name}-domain<suffix>"`, one string rather than a string nested in another. */
const unitName = (suffix = ""): NixExpr => interp("cim-", name, `-domain${suffix}`);

/**
 * `pkgs.<name>`, or an error that says why it is missing: the host's overlay (flake.nix) provides
 * a CIM program only to hosts with a node that runs it.
 */
export const fromPkgs = (attr: NixExpr, option: NixExpr): NixExpr =>
  ifThenElse(
    call(sel(id("builtins"), "hasAttr"), attr, pkgs),
    call(sel(id("builtins"), "getAttr"), attr, pkgs),
    call(id("throw"), interp("pkgs.", attr, " is not in this host's packages: the overlay of flake.nix provides a CIM program only to hosts with a node that runs it; add that node to the instance or set ", option)),
  );

const domainOptions = (domains: readonly DomainDeclaration[]): NixExpr => fn(
  "name",
  attrs({
    enable: enable(interp("the CIM ", name, " domain")),
    package: described(sel(types, "package"), "The domain's package.", {
      default: fromPkgs(unitName(), interp("cim.domains.", name, ".package")),
      defaultText: interp("pkgs.cim-", name, "-domain"),
    }),
    natsUrl: described(sel(types, "str"), "The NATS server the domain connects to.", { default: str(LOCAL_NATS) }),
    metricsPort: described(sel(types, "port"), "Where the domain serves Prometheus metrics.", {
      default: call(sel(id("builtins"), "getAttr"), name, attrs(Object.fromEntries(domains.map((x) => [x.name, int(x.metricsPort)])))),
    }),
    settings: described(call(sel(types, "attrsOf"), sel(types, "anything")), "The domain's settings, passed to it as JSON in CIM_SETTINGS.", { default: attrs({}) }),
  }),
);

const domainUnit = fn(
  "name",
  fn(
    "cfg",
    attrs({
      description: interp("CIM ", name, " domain"),
      ...startsAfterNetwork,
      environment: attrs({
        CIM_SETTINGS: toJson(sel(cfg, "settings")),
        METRICS_PORT: call(id("toString"), sel(cfg, "metricsPort")),
        NATS_URL: sel(cfg, "natsUrl"),
      }),
      serviceConfig: hardenedUnit({
        ExecStart: interp(sel(cfg, "package"), "/bin/cim-", name, "-domain"),
        StateDirectory: unitName(),
      }),
    }),
  ),
);

/** `mkIf config.cim.domains.graph.enable { cim-graph-domain = domainUnit "graph" config.cim.domains.graph; }` */
function domainService(domain: string): NixExpr {
  const domainCfg = sel(config, "cim", "domains", domain);
  return call(id("mkIf"), sel(domainCfg, "enable"), attrs({ [`cim-${domain}-domain`]: call(id("domainUnit"), str(domain), domainCfg) }));
}

/**
 * What the domain kinds declare together in modules/cim.nix: one `cim.domains.<name>` each,
 * from one option template, and the unit each enabled domain runs as.
 */
export function domainsModulePart(declared: readonly DomainDeclaration[]): CimModulePart {
  const domains = [...declared].sort((a, b) => compare(a.name, b.name));
  return {
    lets: [[["domainOptions"], domainOptions(domains)], [["domainUnit"], domainUnit]],
    options: [[["cim", "domains"], call(sel(lib, "genAttrs"), list(domains.map((x) => str(x.name))), id("domainOptions"))]],
    services: domains.map((x) => domainService(x.name)),
  };
}
