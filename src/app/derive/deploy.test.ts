import { describe, expect, it } from "vitest";
import { compile } from "../../core/compile";
import { loadDesign } from "../../core/design/load";
import type { Design } from "../../core/design/types";
import type { DeployEvent, LeafRecord } from "../../core/protocol";
import minimal from "../../../templates/minimal.json";
import type { AppState } from "../store/state";
import { nodeDeployMap } from "./canvasState";
import { designInstances, instanceLabel, noInstanceReason, pickerChoices } from "./instances";
import { LogBuffer, matchingLines } from "./logs";
import { deployBlocker } from "./readiness";
import { leafChoices } from "../../core/protocol";
import { instanceChanges } from "./review";
import { diffFiles } from "../../core/compile/diff";

const design = loadDesign(minimal).design!;
const withLeaf = (d: Design, leafId: string): Design => ({ ...d, nodes: d.nodes.map((n) => (n.kind === "cim-instance" ? { ...n, config: { ...n.config, leafId } } : n)) });
const log = (seq: number, step: "build" | "activate", stream: "stdout" | "stderr", line: string): Extract<DeployEvent, { type: "step-log" }> => ({ v: 1, deploymentId: "d", leafId: "l", seq, ts: "", type: "step-log", step, stream, line });

describe("log buffer", () => {
  it("splits batched lines and filters by step, stream and text, extending an earlier answer", () => {
    const b = new LogBuffer();
    b.append(log(1, "build", "stderr", "building a\nbuilding b"));
    b.append(log(2, "activate", "stdout", "setting up /etc"));
    expect(b.length).toBe(3);
    expect([b.stepOf(2), b.streamOf(2)]).toEqual(["activate", "stdout"]);
    const filter = { step: "build", stream: "stderr", search: "B" } as const;
    const first = matchingLines(b, filter);
    expect(first.indices).toEqual([0, 1]);
    b.append(log(3, "build", "stderr", "building c\nother"));
    expect(matchingLines(b, filter, first).indices).toEqual([0, 1, 3]);
    expect(matchingLines(b, { step: "all", stream: "stdout", search: "" }).indices).toEqual([2]);
  });
});

const leaf = (leafId: string, status: LeafRecord["status"], instances = ["*"]): LeafRecord => ({ leafId, hostname: leafId, version: "0.1.0", instances, status, currentDeploymentId: null, lastSeen: new Date(1_000_000).toISOString() });

describe("readiness", () => {
  const now = 1_000_000 + 1000;
  const ready = (d: Design, leaves: Record<string, LeafRecord>) => {
    const { files, diagnostics } = compile(d);
    const notes = d.notes ?? [];
    return { hub: { state: "connected" as const, url: "" }, deployLinked: true, nodes: d.nodes, edges: d.edges, notes, designName: d.name, leaves, analysis: { nodes: d.nodes, edges: d.edges, name: d.name, notes, diagnostics, files, emitted: {}, emittedBy: null } };
  };

  it("says why Deploy is disabled: hub, compile, errors, leaves", () => {
    const [i] = designInstances(design.nodes, design.edges);
    const s = ready(design, { a: leaf("a", "idle") });
    expect(deployBlocker(s, i!, now)).toBeNull();
    expect(deployBlocker({ ...s, hub: { state: "reconnecting", url: "" } }, i!, now)).toBe("Not connected to the hub");
    expect(deployBlocker({ ...s, nodes: [...s.nodes] }, i!, now)).toBe("Compiling the design…");
    expect(deployBlocker({ ...s, designName: `${s.designName} renamed` }, i!, now)).toBe("Compiling the design…");
    const broken = { ...design, nodes: design.nodes.map((n) => (n.id === "nats" ? { ...n, config: { ...n.config, port: "x" } } : n)) };
    expect(deployBlocker(ready(broken, {}), i!, now)).toBe("The design has 1 error: see Problems");
    expect(deployBlocker(ready(design, {}), i!, now)).toBe("No leaf has registered with the hub");
    // An offline leaf blocks nothing: the command waits for it.
    expect(deployBlocker(ready(design, { a: leaf("a", "offline") }), i!, now)).toBeNull();
    expect(deployBlocker(ready(design, { a: leaf("a", "idle", ["other"]) }), i!, now)).toBe("No registered leaf serves cim-minimal");
  });

  it("keeps to the instance's own leaf when it names one", () => {
    const d = withLeaf(design, "b");
    const [i] = designInstances(d.nodes, d.edges);
    const leaves = { a: leaf("a", "idle"), b: leaf("b", "offline") };
    expect(leafChoices(leaves, i!, now).choices.map((c) => c.leaf.leafId)).toEqual(["b"]);
    expect(deployBlocker(ready(d, leaves), i!, now)).toBeNull();
    expect(deployBlocker(ready(d, { b: leaf("b", "idle", ["other"]) }), i!, now)).toBe("Leaf b does not serve cim-minimal (it serves other)");
    expect(deployBlocker(ready(d, {}), i!, now)).toBe("Leaf b (the instance's leaf executor) has never registered with the hub: start its executor first");
  });
});

describe("review", () => {
  it("diffs files one by one and names the nodes of the instance that changed", () => {
    const before = compile(design).files;
    const changed = { ...design, nodes: design.nodes.map((n) => (n.id === "nats" ? { ...n, config: { ...n.config, port: 4333 } } : n)) };
    const after = compile(changed).files;
    const { diffs, unchanged } = diffFiles(before, after);
    expect(diffs.map((d) => `${d.path} ${d.status}`)).toEqual(["README.md changed", "alchemist.json changed", "flake.nix changed", "hosts/cim-minimal/default.nix changed"]);
    expect(unchanged).toBe(Object.keys(after).length - 4);
    const host = diffs.find((d) => d.path === "hosts/cim-minimal/default.nix")!;
    expect(host.lines.filter((l) => /^[-+]/.test(l)).every((l) => (l.startsWith("-") ? l.includes("4222") : l.includes("4333")))).toBe(true);
    expect(diffFiles({}, { "a.nix": "x\n" }).diffs).toEqual([{ path: "a.nix", status: "added", lines: ["@@ -0,0 +1,1 @@", "+x"] }]);
    const hostInstance = (d: Design) => designInstances(d.nodes, d.edges).find((i) => i.nodeId === "host")!;
    expect(instanceChanges(design, changed, hostInstance(changed))).toEqual({ added: [], changed: ["nats"], removed: [] });
    expect(instanceChanges(null, design, hostInstance(design))).toEqual({ added: ["graph", "hardware", "host", "nats"], changed: [], removed: [] });
    // The same baseline against other nodes, and the same nodes in a new design object.
    expect(instanceChanges(design, design, hostInstance(design))).toEqual({ added: [], changed: [], removed: [] });
    expect(instanceChanges(design, { ...changed }, hostInstance(changed))).toEqual({ added: [], changed: ["nats"], removed: [] });
  });
});

describe("canvas marks", () => {
  const state = (over: Partial<AppState>) =>
    ({ designName: design.name, nodes: design.nodes, edges: design.edges, deployments: {}, deploymentsKnown: false, views: {}, deployedFiles: {}, ...over }) as AppState;

  it("marks nothing until the hub has said what was deployed, then every node of a never-deployed instance as added", () => {
    expect([...nodeDeployMap(state({})).entries()]).toEqual([]);
    const known = nodeDeployMap(state({ deploymentsKnown: true }));
    expect([...known.keys()].sort()).toEqual(design.nodes.map((n) => n.id).sort());
    expect([...known.values()].every((m) => m.undeployed === "added" && m.state === undefined)).toBe(true);
  });
});

describe("the deploy bar's instances (issue 18, points 10 and 13)", () => {
  const host = design.nodes.find((n) => n.kind === "cim-instance")!;
  const withId = (id: string, nodeId = host.id) => ({ ...host, id: nodeId, config: { ...host.config, id } });

  it("says an instance has no Id rather than that there is none", () => {
    expect(noInstanceReason([])).toBe("Add a CIM instance to deploy.");
    expect(noInstanceReason(design.nodes.filter((n) => n !== host))).toBe("Add a CIM instance to deploy.");
    const unnamed = [...design.nodes.filter((n) => n !== host), withId("")];
    expect(designInstances(unnamed, design.edges)).toEqual([]);
    expect(noInstanceReason(unnamed)).toBe("The CIM instance has no valid Id: set its Id in the inspector to deploy it.");
    expect(noInstanceReason([withId(""), withId("", "host2")])).toBe("None of the 2 CIM instances has a valid Id: set one in the inspector to deploy it.");
  });

  it("names an instance by its node's label where the host is shown, and by nothing when it has none", () => {
    const labelled = [withId("cim-a"), { ...withId("cim-b", "host2"), label: "Shop floor" }];
    expect(instanceLabel({ nodes: labelled, edges: [] }, "cim-b")).toBe("Shop floor");
    expect(instanceLabel({ nodes: labelled, edges: [] }, "cim-a")).toBeUndefined();
    expect(instanceLabel({ nodes: labelled, edges: [] }, "cim-z")).toBeUndefined();
    expect(instanceLabel({ nodes: labelled, edges: [] }, undefined)).toBeUndefined();
  });

  it("lists each host id once in the picker, even when two instances share it", () => {
    const instances = designInstances([withId("cim-a"), withId("cim-a", "host2"), withId("cim-b", "host3")], []);
    expect(instances.map((i) => i.hostId)).toEqual(["cim-a", "cim-a", "cim-b"]);
    expect(pickerChoices(instances).map((i) => [i.hostId, i.nodeId])).toEqual([
      ["cim-a", instances[0]!.nodeId],
      ["cim-b", "host3"],
    ]);
  });
});
