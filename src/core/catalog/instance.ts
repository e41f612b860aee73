import type { InstanceView, MetricsTarget, NatsTls, ServicePort } from "./kind";

/** What the nodes of an instance add up to: the checks and the instance-wide kinds read these. */

export interface PortUse extends ServicePort {
  readonly nodeId: string;
}

export function portsOf(instance: InstanceView): PortUse[] {
  const out: PortUse[] = [];
  for (const m of instance.members) {
    // Fields named rather than `{ ...p, nodeId }`, which V8 builds slowly (see `hardened`).
    for (const p of m.kind.ports?.(m.config) ?? []) out.push({ port: p.port, label: p.label, field: p.field, exposed: p.exposed, nodeId: m.node.id });
  }
  // An exporter runs where something scrapes it, on its fixed port (loopback only).
  const scraper = instance.members.find((m) => m.kind.scrapesMetrics);
  if (scraper) {
    for (const t of metricsOf(instance)) {
      if (t.exporter) out.push({ port: t.port, label: `the ${t.exporter.name} exporter it runs`, field: "", exposed: false, nodeId: scraper.node.id });
    }
  }
  return out;
}

export function exposedPorts(instance: InstanceView): number[] {
  return portsOf(instance).filter((p) => p.exposed).map((p) => p.port);
}

// Loops rather than flatMap, which V8 runs several times slower: several kinds read these
// for every instance they are part of.

export function dataDirsOf(instance: InstanceView): string[] {
  const dirs = new Set<string>();
  for (const m of instance.members) for (const dir of m.kind.dataDirs?.(m.config) ?? []) dirs.add(dir);
  return [...dirs].sort();
}

export function metricsOf(instance: InstanceView): MetricsTarget[] {
  const out: MetricsTarget[] = [];
  for (const m of instance.members) for (const target of m.kind.metrics?.(m.config) ?? []) out.push(target);
  return out;
}

/** The certificate of the instance's NATS server, when a setting of the instance gives it one. */
export function natsTlsOf(instance: InstanceView): NatsTls | undefined {
  if (!instance.nats) return undefined;
  for (const m of instance.members) {
    const tls = m.kind.natsTls?.(m.config);
    if (tls) return tls;
  }
  return undefined;
}

/**
 * The URL services of the instance reach its NATS server at: loopback, or with TLS the
 * certificate's name, which the NATS kinds map to 127.0.0.1 on the host (a certificate does
 * not cover 127.0.0.1, and a server with TLS refuses plaintext clients).
 */
export function natsUrlOf(instance: InstanceView): string | undefined {
  if (!instance.nats) return undefined;
  const tls = natsTlsOf(instance);
  return tls ? `tls://${tls.serverName}:${instance.nats.port}` : `nats://127.0.0.1:${instance.nats.port}`;
}
