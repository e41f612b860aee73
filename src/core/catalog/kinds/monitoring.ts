import { defineKind } from "../kind";
import { port, strings } from "../fields";
import { metricsOf } from "../instance";
import { SETTINGS_AND_SERVICES } from "../builds-on";
import type { OptionTree } from "../options";

export const monitoring = defineKind({
  kind: "monitoring",
  label: "Monitoring",
  group: "Observability",
  role: "service",
  help: "Prometheus scraping every NATS server and CIM domain of the instance, and Grafana on top.",
  buildsOn: SETTINGS_AND_SERVICES,
  scrapesMetrics: true,
  fields: {
    prometheusPort: port({ label: "Prometheus port", help: "Prometheus's web port.", default: 9090 }),
    grafanaPort: port({ label: "Grafana port", help: "Grafana's web port (on localhost).", default: 3000 }),
    extraTargets: strings({
      label: "Extra targets",
      help: "More host:port targets to scrape.",
      itemPattern: { source: "[A-Za-z0-9.-]+:[0-9]{1,5}", hint: "host:port, e.g. 10.0.0.5:9100" },
      placeholder: "10.0.0.5:9100",
    }),
  },
  claims: () => ["services.prometheus", "services.grafana"],
  units: () => ["prometheus.service", "grafana.service"],
  dataDirs: () => ["/var/lib/grafana", "/var/lib/prometheus2"],
  ports: (c) => [
    // Bound to 127.0.0.1 (Grafana reads it there; people reach both through an SSH tunnel).
    { port: c.prometheusPort, label: "Prometheus", field: "prometheusPort", exposed: false },
    { port: c.grafanaPort, label: "Grafana", field: "grafanaPort", exposed: false },
  ],
  emit: ({ config: c, instance }) => {
    const jobs = new Map<string, string[]>();
    const exporters: Record<string, OptionTree> = {};
    for (const target of metricsOf(instance)) {
      jobs.set(target.job, [...(jobs.get(target.job) ?? []), `127.0.0.1:${target.port}`]);
      if (target.exporter) exporters[target.exporter.name] = target.exporter.options;
    }
    if (c.extraTargets.length > 0) jobs.set("extra", [...c.extraTargets]);
    const scrapeConfigs = [...jobs.keys()].sort().map((job) => ({
      job_name: job,
      static_configs: [{ targets: [...new Set(jobs.get(job))].sort() }],
    }));
    return {
      options: {
        services: {
          grafana: {
            enable: true,
            provision: {
              datasources: {
                settings: {
                  datasources: [{ isDefault: true, name: "Prometheus", type: "prometheus", url: `http://127.0.0.1:${c.prometheusPort}` }],
                },
              },
            },
            settings: { server: { http_port: c.grafanaPort } },
          },
          prometheus: {
            enable: true,
            exporters: Object.keys(exporters).length > 0 ? exporters : undefined,
            listenAddress: "127.0.0.1",
            port: c.prometheusPort,
            scrapeConfigs,
          },
        },
      },
    };
  },
});
