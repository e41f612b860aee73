import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { KINDS } from "../../src/core/catalog/registry";
import { checkConfig } from "../../src/core/catalog/check-config";

/**
 * A kind says everything about itself: outside its module (and the catalog's machinery that
 * runs the hooks), no code names a kind or reads a setting by its key. Shared code asks the
 * kind's hooks instead, so a new kind is one module plus its registration.
 */

const ROOT = new URL("../..", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const KIND_NAMES = new Set(KINDS.map((k) => k.kind));

/** The text with its comments blanked (lines kept), so prose may name a kind or a setting. */
export function withoutComments(text: string): string {
  const blank = (c: string) => c.replace(/[^\n]/g, " ");
  return text.replace(/\/\*[\s\S]*?\*\//g, blank).replace(/(^|[^:"'`])(\/\/.*)$/gm, (_m, before: string, c: string) => before + blank(c));
}

/** String literals that are exactly a kind's name, with their line numbers. */
export function kindNamesIn(text: string): string[] {
  const out: string[] = [];
  withoutComments(text).split("\n").forEach((line, i) => {
    for (const m of line.matchAll(/(["'`])([a-z][a-z0-9-]*)\1/g)) if (KIND_NAMES.has(m[2]!)) out.push(`${i + 1}: ${m[2]}`);
  });
  return out;
}

/** Reads of a node's setting by a fixed key: `node.config.port`, `m.config["users"]`. */
export function keyedConfigReadsIn(text: string): string[] {
  const out: string[] = [];
  withoutComments(text).split("\n").forEach((line, i) => {
    for (const m of line.matchAll(/(?<![-\w$/])config(?:\??\.([A-Za-z_$][\w$]*)|\[\s*(["'`][^"'`]+["'`])\s*\])/g)) out.push(`${i + 1}: ${m[0]}`);
  });
  return out;
}

const inside = (file: string, ...dirs: string[]) => dirs.some((d) => relative(join(ROOT, d), file).split("/")[0] !== "..");

function findings(files: readonly string[], find: (text: string) => string[]): string[] {
  return files.flatMap((f) => find(readFileSync(f, "utf8")).map((hit) => `${relative(ROOT, f)}:${hit}`));
}

describe("kind knowledge stays in the kind modules", () => {
  const src = sourceFiles(join(ROOT, "src"));

  it("no source outside the catalog names a kind (templates are designs, so data)", () => {
    const files = src.filter((f) => !inside(f, "src/core/catalog", "src/app/templates"));
    expect(findings(files, kindNamesIn)).toEqual([]);
  });

  it("no shared code in core or the app reads a node's setting by key", () => {
    // The executor's and the CLI's own `config` objects are their settings, not a node's.
    const files = src.filter((f) => inside(f, "src/core", "src/app") && !inside(f, "src/core/catalog/kinds"));
    expect(findings(files, keyedConfigReadsIn)).toEqual([]);
  });

  it("the checks catch what they look for", () => {
    expect(kindNamesIn(`if (m.kind.kind === "secrets") {}\nconst u = 'nats-hub';`)).toEqual(["1: secrets", "2: nats-hub"]);
    expect(kindNamesIn(`const url = "nats-leaf://127.0.0.1:7422"; const k = kind.kind;`)).toEqual([]);
    expect(keyedConfigReadsIn(`const a = node.config.id;\nconst b = m.config["users"];\nconst c = n.config?.leafId;`)).toEqual(["1: config.id", '2: config["users"]', "3: config?.leafId"]);
    expect(keyedConfigReadsIn(`const v = node.config[field.key]; checkConfig(kind.fields, node.config)`)).toEqual([]);
    expect(keyedConfigReadsIn(`fetch("/alchemist-config.json"); // node.config.id\n/* m.config.users */`)).toEqual([]);
    expect(kindNamesIn(`// a "secrets" node\nconst u = "http://x"; const k = "redis";`)).toEqual(["2: redis"]);
  });
});

describe("the hooks every kind of a role has", () => {
  it("an instance kind says what host it stands for, from its defaults alone", () => {
    for (const kind of KINDS.filter((k) => k.role === "instance")) {
      expect(kind.host, kind.kind).toBeTypeOf("function");
      const host = kind.host!(checkConfig(kind.fields, {}).value);
      expect(typeof host.hostId, kind.kind).toBe("string");
      expect(host.stateVersion, kind.kind).toMatch(/^\d{2}\.\d{2}$/);
      // Its hostIdField is the field hostId is read from: a copy given a new id there is a new host.
      const config = checkConfig(kind.fields, { [kind.hostIdField!]: "copy-007" }).value;
      expect(kind.host!(config).hostId, kind.kind).toBe("copy-007");
    }
  });

  it("no other kind claims to be a host", () => {
    expect(KINDS.filter((k) => k.role !== "instance" && (k.host || k.hostIdField)).map((k) => k.kind)).toEqual([]);
  });
});
