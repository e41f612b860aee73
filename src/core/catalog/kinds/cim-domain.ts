import { defineKind, type BuildsOn, type Kind } from "../kind";
import { port, type ConfigOf, type Fields, type IntField } from "../fields";
import type { OptionTree } from "../options";
import { natsUrlOf } from "../instance";

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
    domain: d.name,
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
