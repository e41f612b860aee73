import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, designHash } from "./canonical";
import { parseDesign, parseDesignShape } from "./load";
import { DESIGN_VERSION, type Design } from "./types";
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
    ["a newer version", { ...leafDesign, version: 3 }, "E_DESIGN_VERSION", "version"],
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

describe("version 2: labels and notes", () => {
  const v2 = { ...leafDesign, version: 2 };
  const labelled = (label: unknown) => ({ ...v2, nodes: [leafDesign.nodes[0], { ...leafDesign.nodes[1], label }] });
  const note = { id: "note-1", text: "Ask ops before\nchanging the hub URL", color: "yellow", position: { x: 10, y: 20 } };

  it("carries a version 1 file forward to version 2, unchanged but for its version", () => {
    const v1 = parseDesignShape(JSON.stringify(leafDesign));
    expect(v1.diagnostics).toEqual([]);
    expect(v1.design).toEqual({ ...leafDesign, version: DESIGN_VERSION });
    expect(DESIGN_VERSION).toBe(2);
    expect(canonicalJson(v1.design!)).toMatch(/^ {2}"version": 2$/m);
  });

  it("refuses a version 1 file with a label or notes, which only version 2 has", () => {
    for (const [doc, path] of [
      [{ ...labelled("cache"), version: 1 }, "nodes[1].label"],
      [{ ...leafDesign, notes: [note] }, "notes"],
    ] as const) {
      const result = load(doc);
      expect(result.design).toBeNull();
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: "E_DESIGN_VERSION", path, message: expect.stringMatching(/^version 1: .* came with version 2/) })]);
    }
  });

  it("refuses version 3 and says which versions it reads", () => {
    const result = load({ ...v2, version: 3 });
    expect(result.design).toBeNull();
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "E_DESIGN_VERSION", path: "version", message: "version 3 was written by a newer Alchemist; this one reads up to 2" })]);
  });

  it("keeps labels and notes through the canonical text, whatever they hold", () => {
    const label = 'say "hi" ${builtins.abort "x"} \\ \'\' 🦀';
    const result = parseDesignShape(JSON.stringify({ ...labelled(label), notes: [{ ...note, text: "${x}\n\"quoted\"\t''" }] }));
    expect(result.diagnostics).toEqual([]);
    expect(result.design?.nodes[1]?.label).toBe(label);
    expect(load(canonicalJson(result.design!)).design).toEqual(result.design);
    expect(load(v2).design).not.toHaveProperty("notes");
    expect(load({ ...v2, notes: [] }).design).not.toHaveProperty("notes");
  });

  it.each([
    ["a label that is no string", labelled(7), "nodes[1].label", "the label of node n2: expected a string, got number 7"],
    ["an empty label", labelled(""), "nodes[1].label", "the label of node n2: expected a label, got an empty string (leave the key out for none)"],
    ["a label of 10 000 characters", labelled("x".repeat(10_000)), "nodes[1].label", "the label of node n2: expected at most 100 characters, got 10000"],
    ["a label with a new line", labelled("two\nlines"), "nodes[1].label", "the label of node n2: character U+000A at position 3 cannot be shown; remove it"],
    ["a label with a right-to-left override", labelled("a\u202Eb"), "nodes[1].label", "the label of node n2: character U+202E at position 1 cannot be shown; remove it"],
    ["a label with half a character", labelled("a\uD83Eb"), "nodes[1].label", "the label of node n2: character U+D83E at position 1 cannot be shown; remove it"],
    ["notes that are no list", { ...v2, notes: {} }, "notes", "expected a list, got an object"],
    ["too many notes", { ...v2, notes: Array.from({ length: 1001 }, (_, i) => ({ ...note, id: `n${i}` })) }, "notes", "expected at most 1000 notes, got 1001"],
    ["a note of 10 000 characters", { ...v2, notes: [{ ...note, text: "x".repeat(10_000) }] }, "notes[0].text", "the text of note note-1: expected at most 2000 characters, got 10000"],
    ["a note with a control character", { ...v2, notes: [{ ...note, text: "a\u0007" }] }, "notes[0].text", "the text of note note-1: character U+0007 at position 1 cannot be shown; remove it"],
    ["a note colour of its own", { ...v2, notes: [{ ...note, color: "red;background:url(x)" }] }, "notes[0].color", "expected one of yellow, blue, green, pink, grey, got a string"],
    ["a note without id", { ...v2, notes: [{ ...note, id: undefined }] }, "notes[0].id", "expected a non-empty string, got nothing"],
    ["an unknown key on a note", { ...v2, notes: [{ ...note, html: "<b>" }] }, "notes[0].html", "unknown key; expected id, text, color, position"],
  ])("refuses %s, naming its place", (_, doc, path, message) => {
    const result = load(doc);
    expect(result.design).toBeNull();
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "E_DESIGN_SHAPE", path, message })]);
  });
});

describe("canonical form and hash", () => {
  const shuffled: Design = {
    version: DESIGN_VERSION,
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
        const design: Design = { version: DESIGN_VERSION, name: "d", nodes: [{ id: "x", kind: "custom-service", position: { x: 0, y: 0 }, config }], edges: [] };
        expect(canonicalJson(design)).toBe(`${sortedText(design, "")}\n`);
      }),
      { numRuns: 500 },
    );
  });
});
