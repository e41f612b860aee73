import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Member } from "../../src/core/catalog/kind";
import { exposedPorts } from "../../src/core/catalog/instance";
import type { StringField } from "../../src/core/catalog/fields";
import { matches } from "../../src/core/catalog/patterns";
import { mayBuildOn } from "../../src/core/catalog/edges";
import { KINDS, kindOf } from "../../src/core/catalog/registry";
import { compile, type FlakeFiles } from "../../src/core/compile";
import { parseDesign } from "../../src/core/design/load";
import type { Design } from "../../src/core/design/types";
import { nixStringProblem, printNix, str } from "../../src/core/nix";
import { analyze } from "../../src/core/validate/analyze";
import { evalModuleWithStub, nixEvalJson, parseFiles } from "../support/nix";
import { build } from "../support/designBuilder";
import { withHardware } from "../support/hardware";

// Every proof here runs the real Nix (nix-instantiate from Debian's nix-bin). Spawning it is
// slow on this machine, so files are written once and parsed or evaluated in few processes.

const root = mkdtempSync(join(tmpdir(), "alchemist-proof-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeFlake(dir: string, files: FlakeFiles): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function compiled(design: Design): FlakeFiles {
  const { files, diagnostics } = compile(design);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return files;
}

const templates = readdirSync("templates").filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();
const templateDesign = (name: string) => parseDesign(readFileSync(`templates/${name}.json`, "utf8")).design!;

/** A design of random kinds with placeholder values, on 1–3 instances sharing some nodes. */
const randomDesign = fc
  .record({
    instances: fc.integer({ min: 1, max: 3 }),
    kinds: fc.subarray(KINDS.filter((k) => k.role !== "instance" && !k.natsServer).map((k) => k.kind), { minLength: 1 }),
    hub: fc.boolean(),
    parents: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
  })
  .map(({ instances, kinds, hub, parents }): Design => {
    const nodes: Record<string, [string, Record<string, unknown>]> = {};
    const edges: [string, string][] = [];
    const hosts = Array.from({ length: instances }, (_, i) => `h${i}`);
    hosts.forEach((h, i) => (nodes[h] = ["cim-instance", { id: `cim-${i}` }]));
    const chosen = [hub ? "nats-hub" : "nats-leaf", ...kinds];
    chosen.forEach((kind, i) => {
      const id = `n${i}`;
      nodes[id] = [kind, placeholderConfig(kind)];
      const parent = parents[i]! % (i + hosts.length);
      // Either straight into an instance or onto an earlier node that may build on it (else
      // into an instance): always a DAG, always reachable, every edge meaningful.
      const onto = parent < hosts.length ? undefined : chosen[parent - hosts.length]!;
      const meaningful = onto !== undefined && mayBuildOn(kindOf(onto)!, kindOf(kind)!);
      edges.push(meaningful ? [id, `n${parent - hosts.length}`] : [id, hosts[parent % hosts.length]!]);
      if (i === 0) hosts.forEach((h) => edges.push([id, h]));
    });
    return withHardware(build(nodes, edges.filter((e, i) => edges.findIndex((x) => x[0] === e[0] && x[1] === e[1]) === i)));
  });

function placeholderConfig(kind: string): Record<string, unknown> {
  const spec = KINDS.find((k) => k.kind === kind)!;
  const config: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    if (field.type === "string" && field.required && field.default === "" && field.placeholder) config[name] = field.placeholder;
  }
  return config;
}

describe("generated Nix parses with nix-instantiate --parse", () => {
  it("for every template and 40 random designs", () => {
    for (const name of templates) writeFlake(join(root, "parse", name), compiled(templateDesign(name)));
    fc.sample(randomDesign, { numRuns: 40, seed: 42 }).forEach((design, i) => writeFlake(join(root, "parse", `random-${i}`), compiled(design)));
    const results = parseFiles(join(root, "parse"));
    expect(results.length).toBeGreaterThan(100);
    expect(results.filter((r) => !r.result.ok)).toEqual([]);
  });
});

const get = (value: unknown, path: string): unknown =>
  path.split("/").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);

/** What the evaluated host must hold for each node: [path in config, value from the design]. */
function expectations(m: Member): [string, unknown][] {
  const c = m.config as Record<string, any>;
  switch (m.kind.kind) {
    case "cim-instance":
      return [["networking/hostName", c.id], ["system/stateVersion", c.stateVersion], ["cim/instance/id", c.id], ["nixpkgs/hostPlatform", c.system]];
    case "nats-leaf":
      return [["services/nats/port", c.port], ["services/nats/settings/http", `127.0.0.1:${c.monitorPort}`], ["services/nats/settings/leafnodes/remotes/0/url", c.hubUrl]];
    case "nats-hub":
      return [["services/nats/port", c.port], ["services/nats/settings/leafnodes/port", c.leafPort], ["services/nats/settings/websocket/port", c.websocketPort], ["services/nats/settings/jetstream/domain", c.jetstreamDomain]];
    case "graph-domain":
      return [["cim/domains/graph/settings/persistence", c.persistence], ["cim/domains/graph/settings/maxNodes", c.maxNodes], ["systemd/services/cim-graph-domain/environment/METRICS_PORT", String(c.metricsPort)]];
    case "workflow-domain":
      return [["cim/domains/workflow/settings/timeout", c.timeout], ["systemd/services/cim-workflow-domain/serviceConfig/StateDirectory", "cim-workflow-domain"]];
    case "agent-domain":
      return [["cim/domains/agent/settings/providers", c.providers], ["cim/domains/agent/settings/maxAgents", c.maxAgents]];
    case "agent-service":
      return [["systemd/services/agent-service/environment/STREAM_NAME", c.streamName], ["systemd/services/agent-service/environment/SNAPSHOT_FREQUENCY", String(c.snapshotFrequency)]];
    case "agent-container":
      return [[`containers/cim-agent-${c.agentId}/config/services/cim-agent/capabilities`, c.capabilities]];
    case "ollama":
      return [["services/ollama/loadModels", c.models], ["services/ollama/port", c.port]];
    case "neo4j":
      return [["services/neo4j/bolt/enable", c.bolt]];
    case "monitoring":
      return [["services/prometheus/port", c.prometheusPort], ["services/grafana/settings/server/http_port", c.grafanaPort]];
    case "backup":
      return [["services/borgbackup/jobs/cim/repo", c.repo], ["services/borgbackup/jobs/cim/prune/keep/daily", c.keepDaily]];
    case "network":
      return [["networking/useDHCP", c.useDHCP], ["networking/nameservers", c.nameservers.length > 0 ? c.nameservers : undefined]];
    case "base-system":
      return [["time/timeZone", c.timeZone], ["i18n/defaultLocale", c.locale]];
    case "security":
      return [["services/openssh/settings/PasswordAuthentication", c.sshPasswordAuth], ["security/apparmor/enable", c.apparmor]];
    case "tls":
      return [["security/acme/defaults/email", c.email || undefined]];
    default:
      return [];
  }
}

// modules/cim.nix picks each domain's package by name, which the stub cannot see in the text.
const domainPackages = KINDS.flatMap((k) => (k.domain ? [`cim-${k.domain.name}-domain`] : []));

describe("round trip: each host module, evaluated against the module-system stub, holds the design's values", () => {
  it.each(templates)("%s", (name) => {
    const design = templateDesign(name);
    const dir = writeFlake(join(root, "eval", name), compiled(design));
    // Encrypted secrets live beside the flake, not in it; evaluating a path needs the file.
    mkdirSync(join(dir, "secrets"));
    for (const file of ["borg-passphrase.age", "borg-ssh-key.age", "nats-leaf.creds.age"]) writeFileSync(join(dir, "secrets", file), "");
    let checked = 0;
    for (const { view } of analyze(design).instances) {
      // As a whole system: NixOS's assertions (root file system, boot loader, key sources, unfree) apply;
      // nixpkgs.overlays is declared by NixOS (default [ ]), not by the stub, and containers read it.
      const config = evalModuleWithStub([{ file: join(dir, "modules/cim.nix") }, "{ nixpkgs.overlays = [ ]; }", { file: join(dir, "hosts", view.hostId, "default.nix") }], { nixos: true, pkgs: domainPackages });
      for (const m of view.members) {
        for (const [path, value] of expectations(m)) {
          expect(get(config, path), `${m.node.id}: ${path}`).toEqual(value);
          checked += value === undefined ? 0 : 1;
        }
      }
      const firewall = get(config, "networking/firewall/allowedTCPPorts") as number[] | undefined;
      if (view.members.some((m) => m.kind.kind === "firewall")) {
        for (const port of exposedPorts(view).filter((p) => p !== 6222)) expect(firewall).toContain(port);
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

// The pieces Nix strings are most easily broken by, and text from all of Unicode.
const PIECES = ['"', "\\", "$", "${", "''", "'${", "\n", "\t", "\r", "}", "{", "'", " ", "a", "é", "中", "😀", "$$", "\\${", "''$", "''\\"];
const nasty = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((p) => p.join("")),
  fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((s) => nixStringProblem(s) === null),
);

describe("nasty strings survive: printed, parsed and evaluated back to exactly the original", () => {
  const strings = fc.sample(nasty, { numRuns: 700, seed: 7 });

  it("in every free-text field and in quoted attribute names", () => {
    const nodes: Record<string, [string, Record<string, unknown>]> = {};
    const edges: [string, string][] = [];
    const expected: unknown[] = [];
    for (let i = 0; i * 7 < strings.length; i++) {
      const s = (k: number) => strings[(i * 7 + k) % strings.length]!;
      const mount = `/${s(6).replace(/\s/g, "")}`;
      nodes[`h${i}`] = ["cim-instance", { id: `h${i}`, name: s(0), location: s(1), capabilities: [s(2)] }];
      nodes[`n${i}`] = ["nats-leaf", {}];
      nodes[`c${i}`] = ["custom-service", { name: "svc", execStart: s(3), environment: { V: s(4) } }];
      nodes[`a${i}`] = ["agent-container", { agentId: "x", capabilities: [s(5)], bindMounts: [{ mountPoint: mount, hostPath: mount }] }];
      edges.push([`n${i}`, `h${i}`], [`c${i}`, `h${i}`], [`n${i}`, `a${i}`], [`a${i}`, `h${i}`]);
      expected.push([s(0), s(1), [s(2)], s(3), s(4), [s(5)], mount]);
    }
    const files = compiled(withHardware(build(nodes, edges)));
    const dir = writeFlake(join(root, "nasty"), files);
    expect(parseFiles(dir).filter((r) => !r.result.ok)).toEqual([]);
    const hosts = expected.map((_, i) => `(import (/. + ${printNix(str(join(dir, "hosts", `h${i}`, "default.nix")))}) { config = { }; lib = { }; pkgs = { }; })`);
    const select = (h: string) =>
      `(let m = ${h}; a = m.containers.cim-agent-x; in [ m.cim.instance.name m.cim.instance.location m.cim.instance.capabilities ` +
      `m.systemd.services.svc.serviceConfig.ExecStart m.systemd.services.svc.environment.V a.config.services.cim-agent.capabilities ` +
      `(builtins.head (builtins.attrNames a.bindMounts)) ])`;
    expect(nixEvalJson(`[ ${hosts.map(select).join("\n")} ]`)).toEqual(expected);
  });

  it("as names, they are refused with a diagnostic unless they fit the name's pattern, never emitted", () => {
    const field = (kind: string, name: string) => KINDS.find((k) => k.kind === kind)!.fields[name] as StringField;
    const cases: [StringField, (s: string) => Design][] = [
      [field("cim-instance", "id"), (s) => build({ h: ["cim-instance", { id: s }] })],
      [field("custom-service", "name"), (s) => build({ h: ["cim-instance", { id: "h" }], c: ["custom-service", { name: s, execStart: "/bin/true" }] }, [["c", "h"]])],
      [field("agent-container", "agentId"), (s) => build({ h: ["cim-instance", { id: "h" }], n: ["nats-leaf"], a: ["agent-container", { agentId: s }] }, [["n", "h"], ["a", "h"]])],
      [(field("secrets", "entries") as unknown as { fields: Record<string, StringField> }).fields.name!, (s) => build({ h: ["cim-instance", { id: "h" }], x: ["secrets", { entries: [{ name: s, file: "x.age" }] }] }, [["x", "h"]])],
    ];
    let refused = 0;
    for (const s of strings) {
      for (const [spec, design] of cases) {
        const result = compile(design(s));
        if (matches(spec.pattern!, s)) continue;
        refused++;
        expect(result.files).toEqual({});
        expect(result.diagnostics.some((d) => d.severity === "error" && (d.code === "E_FIELD" || d.code === "E_CONTROL_CHAR"))).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(2000);
  });
});
