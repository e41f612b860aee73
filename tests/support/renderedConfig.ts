/**
 * What the services of a compiled host read at run time, for the real tools to check: the
 * host module is evaluated with the module-system stub beside the part of nixpkgs' NATS
 * module that adds to its settings (tests/fixtures/nixpkgs/nats.nix), and the settings are
 * written as JSON the way the NixOS modules write them (`pkgs.formats.json`, which
 * nats-server reads; Prometheus reads the JSON its module writes as YAML).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { KINDS } from "../../src/core/catalog/registry";
import { compile, type FlakeFiles } from "../../src/core/compile";
import { parseDesign } from "../../src/core/design/load";
import type { Design } from "../../src/core/design/types";
import { analyze } from "../../src/core/validate/analyze";
import { evalModuleWithStub } from "./nix";

const NATS_MODULE = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/nixpkgs/nats.nix");
// modules/cim.nix picks each domain's package by name, which the stub cannot see in the text.
const domainPackages = KINDS.flatMap((k) => (k.domain ? [`cim-${k.domain.name}-domain`] : []));

export type Json = Record<string, unknown>;

/** The names of the templates in templates/, sorted, and each one's design. */
export const templateNames = (): string[] => readdirSync("templates").filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();
export const templateDesign = (name: string): Design => parseDesign(readFileSync(`templates/${name}.json`, "utf8")).design!;

/** The design's flake written to `dir`; fails the test on any compile error. */
export function writeCompiled(design: Design, dir: string): FlakeFiles {
  const { files, diagnostics } = compile(design);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // Encrypted secrets live beside the flake, not in it; evaluating a path needs the file.
  mkdirSync(join(dir, "secrets"), { recursive: true });
  for (const file of ["borg-passphrase.age", "borg-ssh-key.age", "nats-leaf.creds.age"]) writeFileSync(join(dir, "secrets", file), "");
  return files;
}

export const hostIds = (design: Design): string[] => analyze(design).instances.map((i) => i.view.hostId);

/** The merged `config` of one host of a compiled flake in `dir`, with nixpkgs' NATS settings. */
export function evalHost(dir: string, hostId: string): Json {
  return evalModuleWithStub([{ file: join(dir, "modules/cim.nix") }, { file: join(dir, "hosts", hostId, "default.nix") }, { file: NATS_MODULE }], {
    imports: "ignore",
    pkgs: domainPackages,
  });
}

export const get = (value: unknown, path: string): unknown =>
  path.split("/").reduce<unknown>((v, key) => (v as Json | undefined)?.[key], value);

type NatsView = { settings: Json; validateConfig: boolean; credentials: [name: string, source: string][] };

/** `services.nats` as the unit gets it: its settings, the build-time check, the LoadCredential entries. */
export function natsOf(config: Json): NatsView | undefined {
  const nats = get(config, "services/nats") as { enable?: boolean; settings: Json; validateConfig: boolean } | undefined;
  if (!nats?.enable) return undefined;
  const entries = (get(config, "systemd/services/nats/serviceConfig/LoadCredential") ?? []) as string[];
  return {
    settings: nats.settings,
    validateConfig: nats.validateConfig,
    credentials: entries.map((e) => [e.slice(0, e.indexOf(":")), e.slice(e.indexOf(":") + 1).replaceAll("%%", "%")]),
  };
}

export const CREDENTIALS = "/run/credentials/nats.service/";

/** A self-signed certificate for `names` (its own CA), as cert.pem and key.pem in `dir`. */
export function makeCertificate(dir: string, names: readonly string[]): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const san = names.map((n) => `DNS:${n}`).join(",");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", `/CN=${names[0]}`, "-addext", `subjectAltName=${san}`, "-keyout", key, "-out", cert], { stdio: "ignore" });
  return { cert, key };
}

/**
 * The settings as nats-server reads them at run time: the credential copies where systemd
 * puts them (`copies` maps a credential name to a file holding it) and the JetStream store
 * in `storeDir` instead of /var/lib/nats.
 */
export function atRunTime(settings: Json, copies: Readonly<Record<string, string>>, storeDir: string): Json {
  const text = JSON.stringify(settings).replace(/\/run\/credentials\/nats\.service\/([A-Za-z0-9._-]+)/g, (all, name: string) => copies[name] ?? all);
  const out = JSON.parse(text) as Json;
  const js = out.jetstream;
  if (js && typeof js === "object" && "store_dir" in js) out.jetstream = { ...js, store_dir: storeDir };
  return out;
}

/** Debian's `nats-server -t` on the settings written as JSON. */
export function natsServerCheck(settings: Json, file: string): { ok: boolean; output: string } {
  writeFileSync(file, JSON.stringify(settings, null, 2));
  const r = spawnSync("nats-server", ["-t", "-c", file], { encoding: "utf8" });
  return { ok: r.status === 0, output: (r.stdout + r.stderr).trim() };
}

/** prometheus.yml as nixpkgs' prometheus module writes it (JSON, nulls dropped), from the evaluated options. */
export function prometheusYml(config: Json): Json | undefined {
  const prometheus = get(config, "services/prometheus") as { enable?: boolean; scrapeConfigs?: unknown[] } | undefined;
  if (!prometheus?.enable) return undefined;
  return { global: {}, scrape_configs: prometheus.scrapeConfigs ?? [] };
}

/** Debian's `promtool check config` on a prometheus.yml. */
export function promtoolCheck(yml: Json, file: string): { ok: boolean; output: string } {
  writeFileSync(file, JSON.stringify(yml, null, 2));
  const r = spawnSync("promtool", ["check", "config", file], { encoding: "utf8" });
  return { ok: r.status === 0, output: (r.stdout + r.stderr).trim() };
}
