import { defineKind, type BuildsOn, type CimModulePart, type DomainDeclaration, type Kind } from "../kind";
import { port, type ConfigOf, type Fields, type IntField } from "../fields";
import type { OptionTree } from "../options";
import { natsUrlOf } from "../instance";
import { compare } from "../../order";
import { attrs, call, fn, id, int, interp, list, sel, str, type NixExpr } from "../../nix";
import { config, described, enable, hardenedUnit, lib, LOCAL_NATS, pkgs, startsAfterNetwork, toJson, types } from "../module-declarations";

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
  readonly settings: (c: ConfigOf<F>) => OptionTree;
}

type WithMetrics<F extends Fields> = F & { readonly metricsPort: IntField<number> };

export function domainKind<F extends Fields>(d: DomainDescription<F>): Kind {
  const fields: WithMetrics<F> = {
    ...d.fields,
    metricsPort: port({ label: "Metrics port", help: "Where Prometheus scrapes the domain's metrics.", default: d.metricsPort }),
  };
  const unit = `cim-${d.name}-domain`;
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

const domainOptions = (domains: readonly DomainDeclaration[]): NixExpr => fn(
  "name",
  attrs({
    enable: enable(interp("the CIM ", name, " domain")),
    package: described(sel(types, "package"), "The domain's package.", {
      default: call(sel(id("builtins"), "getAttr"), unitName(), pkgs),
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
