import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, designHash } from "./canonical";
import { parseDesign, parseDesignShape } from "./load";
import type { Design } from "./types";
import { formatDiagnostic, hasErrors } from "../validate/diagnostic";

const leafDesign = {
  version: 1,
  name: "production",
  nodes: [
    { id: "n1", kind: "cim-instance", position: { x: 600, y: 200 }, config: { id: "cim-prod-001", name: "Production CIM Instance 001" } },
    { id: "n2", kind: "nats-leaf", position: { x: 200, y: 200 }, config: { hubUrl: "nats://hub.cim.example.com:7422" } },
  ],
  edges: [{ id: "e1", source: "n2", target: "n1" }],
};

/** A flake.lock as Nix writes it, with one input. */
const NIX_LOCK = `${JSON.stringify({ nodes: { nixpkgs: { locked: { rev: "a".repeat(40), narHash: "sha256-A=", type: "github" } }, root: { inputs: { nixpkgs: "nixpkgs" } } }, root: "root", version: 7 }, null, 2)}\n`;

const load = (doc: unknown) => parseDesign(typeof doc === "string" ? doc : JSON.stringify(doc));
const codes = (doc: unknown) => load(doc).diagnostics.map((d) => d.code);

function withNode(node: object, edges: object[] = []) {
  return { ...leafDesign, nodes: [...leafDesign.nodes, node], edges: [...leafDesign.edges, ...edges] };
}

describe("loading a design file", () => {
  it("loads the example of CATALOG.md without diagnostics", () => {
    // With the machine's disks and boot loader, which NixOS needs of every host.
    const result = load(withNode({ id: "n3", kind: "hardware", position: { x: 200, y: 400 }, config: { rootDevice: "/dev/sda1" } }, [{ id: "e2", source: "n3", target: "n1" }]));
    expect(result.diagnostics).toEqual([]);
    expect(result.design?.nodes).toHaveLength(3);
  });

  it.each([
    ["not JSON", "{ nope", "E_DESIGN_JSON", undefined],
    ["not an object", "[1,2]", "E_DESIGN_SHAPE", undefined],
    ["no version", { ...leafDesign, version: undefined }, "E_DESIGN_VERSION", "version"],
    ["a newer version", { ...leafDesign, version: 2 }, "E_DESIGN_VERSION", "version"],
    ["version 0 (no migration)", { ...leafDesign, version: 0 }, "E_DESIGN_VERSION", "version"],
    ["nodes not a list", { ...leafDesign, nodes: {} }, "E_DESIGN_SHAPE", "nodes"],
    ["a node without id", withNode({ kind: "redis" }), "E_DESIGN_SHAPE", "nodes[2].id"],
    ["a bad position", withNode({ id: "n3", kind: "redis", position: { x: "a", y: 0 } }), "E_DESIGN_SHAPE", "nodes[2].position.x"],
    ["an unknown top-level key", { ...leafDesign, extra: 1 }, "E_DESIGN_SHAPE", "extra"],
    ["locks not an object", { ...leafDesign, locks: [] }, "E_DESIGN_SHAPE", "locks"],
    ["a lock under a name that is no instance id", { ...leafDesign, locks: { "Not An Id": NIX_LOCK } }, "E_DESIGN_SHAPE", 'locks["Not An Id"]'],
    ["a lock that is not text", { ...leafDesign, locks: { "cim-prod-001": {} } }, "E_DESIGN_SHAPE", "locks.cim-prod-001"],
    ["a lock Nix could not read", { ...leafDesign, locks: { "cim-prod-001": '{"nodes":{}}' } }, "E_DESIGN_SHAPE", "locks.cim-prod-001"],
  ])("reports %s", (_, doc, code, path) => {
    const result = load(doc);
    expect(result.design).toBeNull();
    expect(result.diagnostics[0]?.code).toBe(code);
    expect(result.diagnostics[0]?.path).toBe(path);
    // Reading only the shape refuses the same files for the same reason.
    expect(parseDesignShape(typeof doc === "string" ? doc : JSON.stringify(doc))).toEqual(result);
  });

  it("keeps each instance's flake.lock byte for byte through the canonical text; no locks is no field", () => {
    const result = load({ ...leafDesign, locks: { "cim-prod-001": NIX_LOCK } });
    expect(result.design?.locks).toEqual({ "cim-prod-001": NIX_LOCK });
    expect(load(canonicalJson(result.design!)).design).toEqual(result.design);
    expect(load({ ...leafDesign, locks: {} }).design).not.toHaveProperty("locks");
  });

  it("reads only the shape when asked: a design whose meaning is wrong is still a design, without diagnostics", () => {
    const text = JSON.stringify(withNode({ id: "n3", kind: "redis", config: { port: 70000 } }));
    expect(load(text).diagnostics.map((d) => d.code)).toContain("E_FIELD");
    const shaped = parseDesignShape(text);
    expect(shaped.diagnostics).toEqual([]);
    expect(shaped.design).toEqual(load(text).design);
  });

  it.each([
    ["an unknown kind", withNode({ id: "n3", kind: "mainframe" }, [{ id: "e2", source: "n3", target: "n1" }]), "E_UNKNOWN_KIND", "nodes[2].kind"],
    ["a port out of range", withNode({ id: "n3", kind: "redis", config: { port: 70000 } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_FIELD", "nodes[2].config.port"],
    ["a wrong-typed field", withNode({ id: "n3", kind: "redis", config: { port: "6379" } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_FIELD", "nodes[2].config.port"],
    ["a missing required field", withNode({ id: "n3", kind: "custom-service", config: { name: "x" } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_FIELD", "nodes[2].config.execStart"],
    ["a bad list item", withNode({ id: "n3", kind: "ollama", config: { models: ["ok", 3] } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_FIELD", "nodes[2].config.models[1]"],
    ["a bad nested record field", withNode({ id: "n3", kind: "network", config: { interfaces: [{ name: "eth0", address: "300.1.1.1" }] } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_FIELD", "nodes[2].config.interfaces[0].address"],
    ["a control character", withNode({ id: "n3", kind: "custom-service", config: { name: "x", execStart: "a\u0001b" } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_CONTROL_CHAR", "nodes[2].config.execStart"],
    ["an unknown setting", withNode({ id: "n3", kind: "redis", config: { colour: "red" } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_FIELD", "nodes[2].config.colour"],
    ["a setting named like an Object method", withNode({ id: "n3", kind: "redis", config: { constructor: 1 } }, [{ id: "e2", source: "n3", target: "n1" }]), "E_FIELD", "nodes[2].config.constructor"],
    ["a dangling edge", { ...leafDesign, edges: [{ id: "e1", source: "n9", target: "n1" }] }, "E_DANGLING_EDGE", "edges[0].source"],
    ["a duplicate node id", withNode({ id: "n2", kind: "redis" }), "E_DUPLICATE_ID", "nodes[2].id"],
  ])("names the place of %s", (_, doc, code, path) => {
    const result = load(doc);
    expect(result.design).not.toBeNull();
    const d = result.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(result.diagnostics)).toBeDefined();
    expect(d?.path).toBe(path);
  });

  it("names the nodes on a cycle", () => {
    const doc = withNode({ id: "n3", kind: "graph-domain" }, [
      { id: "e2", source: "n1", target: "n3" },
      { id: "e3", source: "n3", target: "n2" },
    ]);
    const d = load(doc).diagnostics.find((x) => x.code === "E_CYCLE");
    expect(d?.message).toContain("n1 → n3 → n2 → n1");
  });

  it("prints the example path of CATALOG.md", () => {
    const doc = {
      ...leafDesign,
      nodes: [...leafDesign.nodes, { id: "n3", kind: "redis", config: {} }, { id: "n4", kind: "redis", config: { port: 0 } }],
    };
    const line = load(doc).diagnostics.map(formatDiagnostic).find((l) => l.includes("E_FIELD"));
    expect(line).toBe("error E_FIELD n4 port: nodes[3].config.port: expected integer 1–65535, got 0");
  });

  it("takes 10 000 nodes and a 5 MB string without throwing", () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) => ({ id: `r${i}`, kind: "custom-service", config: { name: `svc${i}`, execStart: "/bin/true" } }));
    const big = { ...leafDesign, nodes: [...leafDesign.nodes, ...nodes, { id: "big", kind: "custom-service", config: { name: "big", execStart: "x".repeat(5_000_000) } }] };
    // How fast is the compile bench's business (npm run bench compile), not a timed assertion here.
    const result = load(big);
    const d = result.diagnostics.find((x) => x.nodeId === "big" && x.severity === "error");
    expect(d?.message).toMatch(/at most 4096 characters/);
    expect(hasErrors(result.diagnostics)).toBe(true);
  });
});

describe("canonical form and hash", () => {
  const shuffled: Design = {
    version: 1,
    name: "production",
    edges: [...leafDesign.edges],
    nodes: [...leafDesign.nodes].reverse().map((n) => ({ config: n.config, position: n.position, kind: n.kind, id: n.id })),
  };

  it("is the same whatever the order of nodes and keys", () => {
    const a = load(leafDesign).design!;
    expect(canonicalJson(shuffled)).toBe(canonicalJson(a));
    expect(designHash(shuffled)).toBe(designHash(a));
    expect(designHash(a)).toMatch(/^sha256-[0-9a-f]{64}$/);
  });

  it("sorts integer-like keys as text", () => {
    const design = { ...load(leafDesign).design!, nodes: [{ id: "x", kind: "custom-service", position: { x: 0, y: 0 }, config: { environment: { "9": "a", "10": "b" } } }] };
    expect(canonicalJson(design)).toContain('"environment": {\n          "10": "b",\n          "9": "a"\n        }');
  });

  // The reference: keys sorted by code unit at every level, written by hand.
  const sortedText = (v: unknown, pad: string): string => {
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    const inner = `${pad}  `;
    const items = Array.isArray(v)
      ? v.map((x) => sortedText(x, inner))
      : Object.keys(v).sort().map((k) => `${JSON.stringify(k)}: ${sortedText((v as Record<string, unknown>)[k], inner)}`);
    const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
    return items.length === 0 ? `${open}${close}` : `${open}\n${items.map((x) => inner + x).join(",\n")}\n${pad}${close}`;
  };

  it("writes any JSON config with sorted keys, __proto__, digits and Object method names included", () => {
    const key = fc.oneof(fc.string(), fc.constantFrom("__proto__", "10", "9", "01", "constructor", "toString", "toJSON", "hasOwnProperty"));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie("list"), tie("object")),
      list: fc.array(tie("value"), { maxLength: 4 }),
      // fromEntries: a "__proto__" key stays an own key, as JSON.parse makes it.
      object: fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map((e) => Object.fromEntries(e)),
    }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, json.value), { maxLength: 5 }), (entries) => {
        const config = Object.fromEntries(entries);
        const design: Design = { version: 1, name: "d", nodes: [{ id: "x", kind: "custom-service", position: { x: 0, y: 0 }, config }], edges: [] };
        expect(canonicalJson(design)).toBe(`${sortedText(design, "")}\n`);
      }),
      { numRuns: 500 },
    );
  });
});
