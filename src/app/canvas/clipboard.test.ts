import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DesignEdge, DesignNode } from "../../core/design/types";
import { memoryStorage } from "../../../tests/support/memoryStorage";
import { useAppStore } from "../store";
import { copySelection, duplicateNodes, paste } from "./clipboard";

const s = () => useAppStore.getState();
const at = (x: number, y: number) => ({ x, y });
const edge = (source: string, target: string): DesignEdge => ({ id: `${source}->${target}`, source, target });

// A leaf feeds a graph domain that feeds an instance; a firewall (a list in its config, a label) feeds it too.
// Graph domains 2 and 3 without a 1: a copy numbered by counting would take an id already there.
const NODES: DesignNode[] = [
  { id: "nats-leaf-1", kind: "nats-leaf", position: at(0, 0), config: {} },
  { id: "graph-domain-2", kind: "graph-domain", position: at(300, 0), config: {} },
  { id: "cim-instance-1", kind: "cim-instance", position: at(600, 0), config: { id: "cim-instance-1" } },
  { id: "firewall-1", kind: "firewall", position: at(300, 200), config: { extraTCPPorts: [8080] }, label: "Edge wall" },
  { id: "graph-domain-3", kind: "graph-domain", position: at(0, 400), config: {} },
];
const EDGES = [edge("nats-leaf-1", "graph-domain-2"), edge("graph-domain-2", "cim-instance-1"), edge("firewall-1", "cim-instance-1")];

const ids = () => s().nodes.map((n) => n.id);
const nodeOf = (id: string) => s().nodes.find((n) => n.id === id)!;
const edgesAmong = (picked: readonly string[]) => s().edges.filter((e) => picked.includes(e.source) || picked.includes(e.target)).map((e) => `${e.source}->${e.target}`);

beforeEach(() => {
  vi.stubGlobal("localStorage", memoryStorage());
  useAppStore.setState({ nodes: NODES, edges: EDGES, selection: { nodes: [], edges: [] } });
});

describe("duplicating nodes", () => {
  it("copies only the connections among the nodes duplicated, joined to the copies, not to the originals or the nodes left out", () => {
    const copies = duplicateNodes(["nats-leaf-1", "graph-domain-2"]);
    expect(copies).toHaveLength(2);
    const [leaf, graph] = copies as [string, string];
    expect(edgesAmong(copies)).toEqual([`${leaf}->${graph}`]);
    // The originals keep their connections, and gain none.
    expect(s().edges.slice(0, EDGES.length)).toEqual(EDGES);
    expect(s().edges).toHaveLength(EDGES.length + 1);
  });

  it("gives the copies ids no node has, selects them and puts them 40 px away", () => {
    const before = ids();
    const copies = duplicateNodes(["graph-domain-2", "firewall-1", "graph-domain-3"]);
    expect(copies).toHaveLength(3);
    for (const id of copies) expect(before).not.toContain(id);
    expect(new Set(ids()).size).toBe(ids().length);
    expect(s().selection).toEqual({ nodes: copies, edges: [] });
    expect(copies.map((id) => nodeOf(id).position)).toEqual([at(340, 40), at(340, 240), at(40, 440)]);
    expect(copies.map((id) => nodeOf(id).kind)).toEqual(["graph-domain", "firewall", "graph-domain"]);
  });

  it("keeps the label and the settings, and an edit of the copy leaves the original as it was", () => {
    const [copy] = duplicateNodes(["firewall-1"]) as [string];
    expect(nodeOf(copy).label).toBe("Edge wall");
    expect(nodeOf(copy).config).toEqual({ extraTCPPorts: [8080] });
    s().setLabel(copy, "Copy wall");
    s().updateField(copy, "extraTCPPorts", [8080, 9090]);
    expect(nodeOf("firewall-1")).toEqual(NODES[3]);
    expect(nodeOf(copy)).toMatchObject({ label: "Copy wall", config: { extraTCPPorts: [8080, 9090] } });
  });

  it("leaves the clipboard as it was", () => {
    s().select({ nodes: ["nats-leaf-1"], edges: [] });
    copySelection();
    duplicateNodes(["firewall-1"]);
    paste();
    expect(s().selection.nodes.map((id) => nodeOf(id).kind)).toEqual(["nats-leaf"]);
  });
});

describe("copy and paste", () => {
  it("pasting twice gives two sets of copies, each with ids of its own and the connections among its own nodes", () => {
    s().select({ nodes: ["nats-leaf-1", "graph-domain-2"], edges: [] });
    copySelection();
    paste();
    const first = s().selection.nodes;
    paste();
    const second = s().selection.nodes;
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(new Set([...NODES.map((n) => n.id), ...first, ...second]).size).toBe(NODES.length + 4);
    expect(edgesAmong(first)).toEqual([`${first[0]}->${first[1]}`]);
    expect(edgesAmong(second)).toEqual([`${second[0]}->${second[1]}`]);
  });

  it("pastes what was copied, as it was when copied: a later edit of the original is not in the paste", () => {
    s().select({ nodes: ["firewall-1"], edges: [] });
    copySelection();
    s().setLabel("firewall-1", "Renamed");
    s().updateField("firewall-1", "extraTCPPorts", [22]);
    s().removeElements(["firewall-1"], []);
    paste();
    const [pasted] = s().selection.nodes as [string];
    expect(nodeOf(pasted)).toMatchObject({ kind: "firewall", label: "Edge wall", config: { extraTCPPorts: [8080] } });
  });

  it("pastes with the copied nodes' top-left corner at the spot asked, the nodes kept apart as they were", () => {
    s().select({ nodes: ["graph-domain-2", "firewall-1", "cim-instance-1"], edges: [] });
    copySelection();
    paste(at(1000, 500));
    expect(s().selection.nodes.map((id) => nodeOf(id).position)).toEqual([at(1000, 500), at(1300, 500), at(1000, 700)]);
  });

  it("copies nothing from an empty selection: what was copied before stays", () => {
    s().select({ nodes: ["cim-instance-1"], edges: [] });
    copySelection();
    s().select({ nodes: [], edges: [] });
    copySelection();
    paste();
    expect(s().selection.nodes.map((id) => nodeOf(id).kind)).toEqual(["cim-instance"]);
  });
});
