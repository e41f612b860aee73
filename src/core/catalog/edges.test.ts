import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildsOnText, mayBuildOn } from "./edges";
import { KINDS, kindOf } from "./registry";
import { parseDesign } from "../design/load";
import { formatDiagnostic } from "../validate/diagnostic";
import { validate } from "../validate";
import { buildBootable as build } from "../../../tests/support/hardware";

const host: [string, Record<string, unknown>] = ["cim-instance", { id: "cim-1" }];

describe("what each kind builds on", () => {
  it("every kind declares it, naming only kinds the catalog has, and none builds on an instance", () => {
    for (const kind of KINDS) {
      expect(kind.buildsOn.roles.length + (kind.buildsOn.kinds ?? []).length, kind.kind).toBeGreaterThan(0);
      for (const name of kind.buildsOn.kinds ?? []) expect(kindOf(name), `${kind.kind} names ${name}`).toBeDefined();
      for (const other of KINDS.filter((k) => k.role === "instance")) expect(mayBuildOn(kind, other), `${kind.kind} on ${other.kind}`).toBe(false);
    }
  });

  it("says it in words", () => {
    expect(buildsOnText(kindOf("nats-leaf")!)).toBe("settings only");
    expect(buildsOnText(kindOf("graph-domain")!)).toBe("settings, NATS hub, NATS leaf node, Neo4j, Ollama, PostgreSQL, Qdrant and Redis");
    expect(buildsOnText(kindOf("monitoring")!)).toBe("settings and services");
  });

  it("every template's edges mean something, so their flakes stay as they were", () => {
    for (const file of readdirSync("templates").filter((f) => f.endsWith(".json"))) {
      const design = parseDesign(readFileSync(`templates/${file}`, "utf8")).design!;
      expect(validate(design).filter((d) => d.code === "E_EDGE_KIND"), file).toEqual([]);
    }
  });
});

describe("a meaningless edge in a loaded design", () => {
  it("is an error on the edge, naming both nodes and what the target builds on", () => {
    const design = build({ host, leaf: ["nats-leaf"], cache: ["redis"] }, [["cache", "leaf"], ["leaf", "host"]]);
    const problems = validate(design).filter((d) => d.code === "E_EDGE_KIND");
    expect(problems.map(formatDiagnostic)).toEqual([
      "error E_EDGE_KIND - -: edges[0]: NATS leaf node (leaf) cannot build on Redis (cache): it builds on settings only; remove the edge",
    ]);
    expect(problems[0]!.edgeId).toBe("cache->leaf");
  });

  it("is not reported for an edge a kind declares: a domain on a data store, monitoring on a domain, a service on a setting", () => {
    const design = build(
      { host, leaf: ["nats-leaf"], graph: ["graph-domain"], neo: ["neo4j"], mon: ["monitoring"], base: ["base-system"] },
      [["leaf", "graph"], ["neo", "graph"], ["graph", "mon"], ["base", "neo"], ["mon", "host"]],
    );
    expect(validate(design)).toEqual([]);
  });
});
