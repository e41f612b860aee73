import { beforeEach, describe, expect, it, vi } from "vitest";
import { KINDS } from "../../core/catalog/registry";
import { validate } from "../../core/validate";
import { designHash } from "../../core/design/canonical";
import { loadDesign } from "../../core/design/load";
import { DESIGN_VERSION } from "../../core/design/types";
import production from "../../../templates/production.json";
import { createAppStore } from "./create";
import { currentDesign } from "./state";
import { hubRemovals, listDesigns } from "./library";
import { nextInstanceId } from "../design/edit";
import { memoryStorage } from "../../../tests/support/memoryStorage";

/** A fresh store, as a page load makes; localStorage survives between loads. */
function load() {
  const useAppStore = createAppStore();
  const s = () => useAppStore.getState();
  return {
    useAppStore,
    s,
    listDesigns,
    flushSave: () => useAppStore.autosave.flushSave(),
    currentDesign: () => currentDesign(s()),
    undo: () => useAppStore.temporal.getState().undo(),
    redo: () => useAppStore.temporal.getState().redo(),
  };
}

const productionDesign = loadDesign(production).design!;

beforeEach(() => {
  vi.stubGlobal("localStorage", memoryStorage());
});

describe("design actions", () => {
  it("adds nodes with readable ids and valid required names, and selects them", () => {
    const { s } = load();
    const host = s().addNode("cim-instance", { x: 10, y: 20 });
    expect(host).toBe("cim-instance-1");
    expect(s().nodes[0]).toEqual({ id: host, kind: "cim-instance", position: { x: 10, y: 20 }, config: { id: host } });
    expect(s().selection.nodes).toEqual([host]);
    expect(s().addNode("neo4j", { x: 0, y: 0 })).toBe("neo4j-1");
  });

  it("a fresh node of every kind has valid settings", () => {
    const { s, currentDesign } = load();
    for (const kind of KINDS) s().addNode(kind.kind, { x: 0, y: 0 });
    expect(validate(currentDesign()).filter((d) => d.code === "E_FIELD")).toEqual([]);
  });

  it("connects nodes and refuses an edge out of an instance, onto itself, twice, or closing a cycle, saying why", () => {
    const { s } = load();
    const host = s().addNode("cim-instance", { x: 0, y: 0 });
    const leaf = s().addNode("nats-leaf", { x: 0, y: 0 });
    const graph = s().addNode("graph-domain", { x: 0, y: 0 });
    expect(s().connect(leaf, graph).ok).toBe(true);
    expect(s().connect(graph, host).ok).toBe(true);
    const refused = (a: string, b: string) => {
      const r = s().connect(a, b);
      return r.ok ? "accepted" : r.reason;
    };
    expect(refused(host, leaf)).toMatch(/CIM instance .* is a whole host: it cannot feed NATS leaf node \(nats-leaf-1\)/);
    expect(refused(leaf, leaf)).toMatch(/cannot build on itself/);
    expect(refused(leaf, graph)).toMatch(/already feeds/);
    expect(refused(graph, leaf)).toBe("Connecting Graph domain (graph-domain-1) to NATS leaf node (nats-leaf-1) would close a cycle: graph-domain-1 → nats-leaf-1 → graph-domain-1.");
    expect(s().edges.map((e) => e.id)).toEqual(["nats-leaf-1->graph-domain-1", "graph-domain-1->cim-instance-1"]);
  });

  it("refuses an edge its target cannot build on, saying what the target builds on, and takes one it can", () => {
    const { s } = load();
    const leaf = s().addNode("nats-leaf", { x: 0, y: 0 });
    const redis = s().addNode("redis", { x: 0, y: 0 });
    const graph = s().addNode("graph-domain", { x: 0, y: 0 });
    const r = s().connect(redis, leaf);
    expect(r.ok ? "accepted" : r.reason).toBe("NATS leaf node (nats-leaf-1) cannot build on Redis (redis-1): it builds on settings only.");
    expect(s().connect(redis, graph).ok).toBe(true);
    expect(s().edges.map((e) => e.id)).toEqual(["redis-1->graph-domain-1"]);
  });

  it("keeps only changed settings: a value equal to the default leaves the config", () => {
    const { s } = load();
    const mon = s().addNode("monitoring", { x: 0, y: 0 });
    s().updateField(mon, "grafanaPort", 3001);
    expect(s().nodes[0]!.config).toEqual({ grafanaPort: 3001 });
    s().updateField(mon, "grafanaPort", 3000);
    expect(s().nodes[0]!.config).toEqual({});
  });

  it("removing a node removes its edges and its selection", () => {
    const { s } = load();
    const a = s().addNode("nats-leaf", { x: 0, y: 0 });
    const b = s().addNode("graph-domain", { x: 0, y: 0 });
    s().connect(a, b);
    s().removeElements([a], []);
    expect(s().nodes.map((n) => n.id)).toEqual([b]);
    expect(s().edges).toEqual([]);
    expect(s().selection.nodes).toEqual([b]);
  });

  it("pastes copies with fresh ids and the edges among them", () => {
    const { s } = load();
    const a = s().addNode("nats-leaf", { x: 0, y: 0 });
    const b = s().addNode("graph-domain", { x: 100, y: 0 });
    s().connect(a, b);
    const pasted = s().pasteNodes(s().nodes, s().edges, { x: 40, y: 40 });
    expect(pasted).toEqual(["nats-leaf-2", "graph-domain-2"]);
    expect(s().edges.map((e) => e.id)).toContain("nats-leaf-2->graph-domain-2");
    expect(s().nodes.find((n) => n.id === "graph-domain-2")!.position).toEqual({ x: 140, y: 40 });
  });
});

describe("a duplicated instance", () => {
  it("gets the next instance id no instance has, keeps the rest of its settings, and the design still validates", () => {
    const { s } = load();
    s().startDesign(productionDesign);
    const host = s().nodes.find((n) => n.kind === "cim-instance")!;
    expect(host.config.id).toBe("cim-prod-001");
    // cim-prod-002 is taken, so the first copy is 003 and a second, pasted with it, 004.
    s().updateField(s().addNode("cim-instance", { x: 0, y: 0 }), "id", "cim-prod-002");
    const members = new Set(s().edges.filter((e) => e.target === host.id).map((e) => e.source));
    const whole = s().nodes.filter((n) => n.id === host.id || members.has(n.id));
    const byId = (id: string) => s().nodes.find((n) => n.id === id)!;
    const hostOf = (pasted: string[]) => pasted.map(byId).find((n) => n.kind === "cim-instance")!;
    const first = hostOf(s().pasteNodes(whole, s().edges, { x: 40, y: 40 }));
    const second = hostOf(s().pasteNodes([host], [], { x: 80, y: 80 }));
    expect(first.config).toEqual({ ...host.config, id: "cim-prod-003" });
    expect(second.config.id).toBe("cim-prod-004");
    expect(byId(host.id).config.id).toBe("cim-prod-001");
    expect(validate(currentDesign(s())).map((d) => d.code)).not.toContain("E_DUPLICATE_INSTANCE");
  });

  it("counts up an id's number with its zeros, and numbers a name without one", () => {
    expect(nextInstanceId("cim-009", new Set())).toBe("cim-010");
    expect(nextInstanceId("host", new Set(["host-1"]))).toBe("host-2");
    expect(nextInstanceId("edge", new Set())).toBe("edge-1");
  });
});

describe("undo and redo", () => {
  it("undoes and redoes adds, connections and edits; typing into one input is one step", () => {
    const { s, undo, redo } = load();
    const leaf = s().addNode("nats-leaf", { x: 0, y: 0 });
    const graph = s().addNode("graph-domain", { x: 0, y: 0 });
    s().connect(leaf, graph);
    for (const v of [4, 42, 422, 4223]) s().updateField(leaf, "port", v);
    expect(s().nodes[0]!.config).toMatchObject({ port: 4223 });
    undo();
    expect(s().nodes[0]!.config).not.toHaveProperty("port");
    undo();
    expect(s().edges).toEqual([]);
    undo();
    expect(s().nodes.map((n) => n.id)).toEqual([leaf]);
    redo();
    redo();
    redo();
    expect(s().nodes[0]!.config).toMatchObject({ port: 4223 });
    expect(s().edges).toHaveLength(1);
  });

  it("a drag (the canvas commits it when it ends) is one step; view changes are no step at all", () => {
    const { s, undo, useAppStore } = load();
    const leaf = s().addNode("nats-leaf", { x: 0, y: 0 });
    const graph = s().addNode("graph-domain", { x: 0, y: 0 });
    s().moveNodes(new Map([[leaf, { x: 30, y: 30 }], [graph, { x: 60, y: 30 }]]));
    s().select({ nodes: [], edges: [] });
    s().setViewCenter({ x: 5, y: 5 });
    expect(useAppStore.temporal.getState().pastStates).toHaveLength(3);
    undo();
    expect(s().nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 0, y: 0 }]);
  });
});

describe("autosave and the design list", () => {
  it("a reload brings back the open design, without its undo history", () => {
    const first = load();
    first.s().startDesign(productionDesign);
    first.s().updateField("monitoring", "grafanaPort", 3001);
    first.flushSave();
    const before = designHash(first.currentDesign());

    const second = load();
    expect(designHash(second.currentDesign())).toBe(before);
    expect(second.s().designName).toBe("Production CIM");
    expect(second.useAppStore.temporal.getState().pastStates).toEqual([]);
  });

  it("saves an edit while a fleet's heartbeats update the store faster than the save's delay", () => {
    vi.useFakeTimers();
    try {
      const first = load();
      first.s().startDesign(productionDesign);
      first.s().updateField("monitoring", "grafanaPort", 3001);
      // 200 leaves beating every 5 s: a store update every 25 ms, for two seconds.
      for (let t = 0; t < 80; t++) {
        first.s().setLeaves({});
        vi.advanceTimersByTime(25);
      }
      const second = load();
      expect(second.currentDesign().nodes.find((n) => n.id === "monitoring")?.config).toMatchObject({ grafanaPort: 3001 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps an instance's flake.lock with the design across a reload, as no undo step; another design opened has its own", () => {
    const lock = JSON.stringify({ nodes: { root: {} }, root: "root", version: 7 });
    const first = load();
    first.s().startDesign(productionDesign);
    first.s().keepLock("cim-prod-001", lock);
    expect(first.useAppStore.temporal.getState().pastStates).toEqual([]);
    expect(first.currentDesign().locks).toEqual({ "cim-prod-001": lock });
    first.flushSave();

    const second = load();
    expect(second.s().locks).toEqual({ "cim-prod-001": lock });
    second.s().startDesign(loadDesign(production).design!);
    expect(second.s().locks).toEqual({});
    expect(second.currentDesign()).not.toHaveProperty("locks");
  });

  it("keeps several designs: start, rename, duplicate, open and delete", () => {
    const { s } = load();
    s().startDesign(productionDesign);
    const prod = s().designId;
    s().startDesign({ version: DESIGN_VERSION, name: "Scratch", nodes: [], edges: [] });
    s().addNode("redis", { x: 0, y: 0 });
    s().renameDesign(prod, "Prod");
    s().refreshDesigns();
    expect(s().designs.map((d) => d.name).sort()).toEqual(["Prod", "Scratch"]);

    s().duplicateDesign(prod);
    expect(s().designName).toBe("Prod (copy)");
    expect(s().nodes).toHaveLength(productionDesign.nodes.length);

    s().openSavedDesign(prod);
    expect(s().designId).toBe(prod);
    s().deleteDesign(prod);
    expect(s().designs.map((d) => d.name).sort()).toEqual(["Prod (copy)", "Scratch"]);
    expect(s().designId).not.toBe(prod);
  });

  it("drops a new design left empty and unnamed when another opens, and keeps one with work on it", () => {
    const { s, flushSave, listDesigns } = load();
    // The first page load writes the empty design it starts with as soon as anything changes.
    s().setHubUrl("ws://127.0.0.1:9222");
    flushSave();
    expect(listDesigns().map((d) => d.name)).toEqual(["Untitled design"]);

    s().startDesign(productionDesign);
    expect(s().designs.map((d) => d.name)).toEqual(["Production CIM"]);

    s().startDesign({ version: DESIGN_VERSION, name: "Untitled design", nodes: [], edges: [] });
    s().addNode("redis", { x: 0, y: 0 });
    s().startDesign({ version: DESIGN_VERSION, name: "Untitled design", nodes: [], edges: [] });
    s().setDesignName("Notes");
    s().startDesign(productionDesign);
    expect(s().designs.map((d) => d.name).sort()).toEqual(["Notes", "Production CIM", "Production CIM", "Untitled design"]);
  });
});

describe("the design list's standing with the hub", () => {
  const hubOf = (s: () => { designs: readonly { id: string; hub?: unknown }[] }, id: string) => s().designs.find((d) => d.id === id)?.hub;
  const savedBy = { name: "alice", key: "UALICE" };

  it("a design made here is owed to the hub; one taken from the hub is in step until it is changed, and a selection is no change", () => {
    const { s, flushSave } = load();
    s().startDesign(productionDesign);
    const id = s().designId;
    expect(hubOf(s, id)).toMatchObject({ revision: 0, pending: true });

    s().takeHubRevision(id, productionDesign, { revision: 7, savedBy, savedAt: "2026-12-01T10:00:00.000Z" });
    expect(hubOf(s, id)).toEqual({ revision: 7, pending: false, savedBy, savedAt: "2026-12-01T10:00:00.000Z" });
    s().select({ nodes: ["monitoring"], edges: [] });
    flushSave();
    s().refreshDesigns();
    expect(hubOf(s, id)).toMatchObject({ revision: 7, pending: false });

    s().updateField("monitoring", "grafanaPort", 3001);
    flushSave();
    s().refreshDesigns();
    expect(hubOf(s, id)).toMatchObject({ revision: 7, pending: true });
    // And after a reload, still owed.
    const again = load();
    again.s().refreshDesigns();
    expect(hubOf(again.s, id)).toMatchObject({ revision: 7, pending: true });
  });

  it("a hub conflict: theirs becomes the design in step with the hub; a merge is owed on top of theirs with its note; mine as a copy is a new design owed", () => {
    const { s } = load();
    s().startDesign(productionDesign);
    const id = s().designId;
    s().updateField("monitoring", "grafanaPort", 3001);
    const mine = currentDesign(s());
    const theirs = { ...productionDesign, nodes: productionDesign.nodes.map((n) => (n.id === "monitoring" ? { ...n, config: { ...n.config, prometheusPort: 9999 } } : n)) };
    const hub = { revision: 9, savedBy, savedAt: "2026-12-01T11:00:00.000Z", basedOn: 3, base: productionDesign };

    s().setDesignConflict({ theirs, mine, hub });
    s().resolveDesignConflict({ merged: { ...theirs, name: "merged" } });
    expect(s().designConflict).toBeNull();
    expect(s().designName).toBe("merged");
    expect(hubOf(s, id)).toMatchObject({ revision: 9, pending: true, note: "merged with alice's revision 9" });

    s().setDesignConflict({ theirs, mine, hub: { ...hub, revision: 10 } });
    s().resolveDesignConflict("mine-as-copy");
    expect(s().designId).not.toBe(id);
    expect(s().designName).toBe(`${productionDesign.name} (my copy)`);
    expect(hubOf(s, s().designId)).toMatchObject({ revision: 0, pending: true });
    expect(hubOf(s, id)).toMatchObject({ revision: 10, pending: false });
  });

  it("deleting a design the hub has owes its removal there; one never on the hub owes nothing", () => {
    const { s } = load();
    s().startDesign(productionDesign);
    const shared = s().designId;
    s().takeHubRevision(shared, productionDesign, { revision: 2, savedBy, savedAt: "2026-12-01T10:00:00.000Z" });
    s().startDesign({ ...productionDesign, name: "local" });
    const local = s().designId;
    s().deleteDesign(local);
    s().deleteDesign(shared);
    expect(hubRemovals()).toEqual([shared]);
  });
});

describe("labels and notes", () => {
  it("a label typed key by key is one undo step, cleaned of what it cannot hold; emptied, it is gone", () => {
    const { s, undo } = load();
    const id = s().addNode("redis", { x: 0, y: 0 });
    for (const typed of ["C", "Ca", "Cache\nline\u202E"]) s().setLabel(id, typed);
    expect(s().nodes[0]!.label).toBe("Cache line ");
    undo();
    expect(s().nodes[0]).not.toHaveProperty("label");
    s().setLabel(id, "x".repeat(500));
    expect(s().nodes[0]!.label).toHaveLength(100);
    s().setLabel(id, "  ");
    expect(s().nodes[0]).not.toHaveProperty("label");
  });

  it("a note's text is one step, its colour and each move one more; notes and labels are saved and read back", () => {
    const { s, undo, redo, flushSave } = load();
    const id = s().addNote({ x: 5, y: 5 });
    s().editNote(id, { text: "a" });
    s().editNote(id, { text: "ab\tc\u0007" });
    s().editNote(id, { color: "pink" });
    s().editNote(id, { position: { x: 40, y: 5 } });
    expect(s().notes).toEqual([{ id, text: "ab\tc ", color: "pink", position: { x: 40, y: 5 } }]);
    undo();
    undo();
    expect(s().notes[0]).toMatchObject({ text: "ab\tc ", color: "yellow", position: { x: 5, y: 5 } });
    undo();
    expect(s().notes[0]!.text).toBe("");
    undo();
    expect(s().notes).toEqual([]);
    for (let i = 0; i < 4; i++) redo();
    s().setLabel(s().addNode("redis", { x: 0, y: 0 }), "Cache");
    flushSave();
    const again = load();
    expect(again.s().notes).toEqual([{ id, text: "ab\tc ", color: "pink", position: { x: 40, y: 5 } }]);
    expect(again.s().nodes[0]!.label).toBe("Cache");
    expect(again.currentDesign().notes).toEqual(again.s().notes);
    s().removeNote(id);
    expect(currentDesign(s())).not.toHaveProperty("notes");
  });
});
