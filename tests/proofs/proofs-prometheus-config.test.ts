import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Design } from "../../src/core/design/types";
import { natsDesign } from "../support/natsDesigns";
import { evalHost, get, hostIds, type Json, prometheusYml, promtoolCheck, templateDesign, templateNames, writeCompiled } from "../support/renderedConfig";

// The Prometheus configuration of every template and of random designs with monitoring, as
// nixpkgs' prometheus module writes it from the evaluated options, checked by the real
// `promtool check config` (Debian's prometheus package) — the check the module runs at build
// time — and every scrape target served by something that serves Prometheus metrics.

const root = mkdtempSync(join(tmpdir(), "alchemist-proof-prometheus-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const templates = templateNames();

let counter = 0;
/** The number of Prometheus servers proven among the design's hosts. */
function provePrometheus(design: Design): number {
  const dir = join(root, `flake-${counter++}`);
  writeCompiled(design, dir);
  let proven = 0;
  for (const id of hostIds(design)) {
    const config = evalHost(dir, id);
    const yml = prometheusYml(config);
    if (!yml) continue;
    const checked = promtoolCheck(yml, join(dir, `${id}-prometheus.yml`));
    expect(checked.output).toMatch(/SUCCESS/);
    expect(checked.ok).toBe(true);

    // Prometheus and Grafana on loopback, not opened in the firewall.
    expect(get(config, "services/prometheus/listenAddress")).toBe("127.0.0.1");
    expect((get(config, "networking/firewall/allowedTCPPorts") ?? []) as number[]).not.toContain(get(config, "services/prometheus/port"));

    // The NATS monitoring port serves JSON, not /metrics: the job scrapes the NATS exporter,
    // which reads the server's monitoring address.
    const nats = (yml.scrape_configs as { job_name: string; static_configs: { targets: string[] }[] }[]).find((j) => j.job_name === "nats");
    if (get(config, "services/nats/enable") === true) {
      const exporter = get(config, "services/prometheus/exporters/nats") as Json;
      expect(exporter).toMatchObject({ enable: true, listenAddress: "127.0.0.1", url: `http://${get(config, "services/nats/settings/http")}` });
      expect(nats?.static_configs).toEqual([{ targets: [`127.0.0.1:${exporter.port}`] }]);
    }
    proven++;
  }
  return proven;
}

describe("the Prometheus configuration passes the real `promtool check config`", () => {
  it.each(templates.filter((t) => templateDesign(t).nodes.some((n) => n.kind === "monitoring")))("template %s", (name) => {
    expect(provePrometheus(templateDesign(name))).toBeGreaterThan(0);
  });

  it("20 random designs with monitoring", () => {
    const designs = fc.sample(natsDesign, { numRuns: 60, seed: 5 }).filter((d) => d.nodes.some((n) => n.kind === "monitoring")).slice(0, 20);
    expect(designs.length).toBe(20);
    for (const design of designs) expect(provePrometheus(design)).toBe(1);
  });
});
