import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Command, DeployEvent, DeploymentSummary, LeafRecord } from "../../core/protocol";
import { createAppStore } from "../store/create";
import { createDeployRuntime, type HubClient } from "./runtime";

/** A hub client that records what the runtime asks of it and lets the test speak for the hub. */
function fakeHub(name: string) {
  const sent: Command[] = [];
  /** Cancels left where the leaf looks before it starts a deployment. */
  const beforeStart: Command[] = [];
  const following = new Map<string, (e: DeployEvent) => void>();
  const stopped: string[] = [];
  const hub: { leaves?: (l: Record<string, LeafRecord>) => void; deployments?: (d: Record<string, DeploymentSummary>) => void } = {};
  let ids = 0;
  const client: HubClient = {
    newId: (prefix) => `${prefix}-${name}-${++ids}`,
    send: async (c) => void sent.push(c),
    cancelBeforeStart: async (c) => void beforeStart.push(c),
    commandsKeptSeconds: async () => 86_400,
    watchLeaves: async (onChange) => {
      hub.leaves = onChange;
      return () => void stopped.push("cim_leaves");
    },
    watchDeployments: async (onChange) => {
      hub.deployments = onChange;
      return () => void stopped.push("cim_deployments");
    },
    follow: (deploymentId, onEvent) => {
      following.set(deploymentId, onEvent);
      return () => {
        following.delete(deploymentId);
        stopped.push(deploymentId);
      };
    },
    files: async () => ({ "alchemist.json": "{}" }),
  };
  return { client, sent, beforeStart, following, stopped, hub };
}

const leaf = (leafId: string): LeafRecord => ({ leafId, hostname: leafId, version: "0.1.0", instances: ["*"], status: "idle", currentDeploymentId: null, lastSeen: new Date(0).toISOString() });
const line = (deploymentId: string, seq: number, text: string): DeployEvent => ({ v: 1, deploymentId, leafId: "leaf-a", seq, ts: "", type: "step-log", step: "build", stream: "stdout", line: text });

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("a deploy runtime per hub connection", () => {
  it("two runtimes on two stores share no watch, follow, log or state, and disposing one leaves the other running", async () => {
    const [a, b] = [fakeHub("a"), fakeHub("b")];
    const [storeA, storeB] = [createAppStore(), createAppStore()];
    const one = createDeployRuntime(a.client, storeA);
    const two = createDeployRuntime(b.client, storeB);
    await vi.runAllTimersAsync();
    expect([storeA.getState().deployLinked, storeB.getState().deployLinked]).toEqual([true, true]);

    a.hub.leaves!({ "leaf-a": leaf("leaf-a") });
    b.hub.leaves!({ "leaf-b": leaf("leaf-b") });
    expect(Object.keys(storeA.getState().leaves)).toEqual(["leaf-a"]);
    expect(Object.keys(storeB.getState().leaves)).toEqual(["leaf-b"]);

    one.followOnly(["d-1"]);
    expect([...a.following.keys()]).toEqual(["d-1"]);
    expect([...b.following.keys()]).toEqual([]);
    a.following.get("d-1")!(line("d-1", 1, "building\nbuilt"));
    await vi.runAllTimersAsync();
    expect(one.logsOf("d-1").text).toEqual(["building", "built"]);
    expect(two.logsOf("d-1").length).toBe(0);
    expect(storeA.getState().views["d-1"]?.logLines).toBe(2);
    expect(storeB.getState().views["d-1"]).toBeUndefined();

    // An event the hub sent just before the connection closed lands nowhere.
    a.following.get("d-1")!(line("d-1", 2, "late"));
    one.dispose();
    await vi.runAllTimersAsync();
    expect(a.stopped.sort()).toEqual(["cim_deployments", "cim_leaves", "d-1"]);
    expect(storeA.getState()).toMatchObject({ deployLinked: false, leaves: {}, views: {} });
    expect(b.stopped).toEqual([]);
    expect(storeB.getState().deployLinked).toBe(true);

    const sent = await two.deploy({ leafId: "leaf-b", instance: "cim-b", action: "switch", files: { "alchemist.json": "{}" }, designHash: "e3b0", confirm: { mode: "auto", timeoutSeconds: 60 } });
    expect(b.sent.map((c) => [c.type, c.deploymentId, c.leafId])).toEqual([["deploy", sent, "leaf-b"]]);
    // The fields in the order they were always sent (the signature is over these bytes).
    expect(Object.keys(b.sent[0]!)).toEqual(["v", "type", "commandId", "deploymentId", "leafId", "instance", "action", "files", "designHash", "confirm", "requestedAt"]);
    // The compiler's hash, as given: the runtime does not hash alchemist.json again.
    expect(b.sent[0]).toMatchObject({ designHash: "e3b0" });
    expect(a.sent).toEqual([]);
    expect(storeB.getState().openDeploymentId).toBe(sent);
    expect(storeA.getState().openDeploymentId).toBeNull();
  });

  it("retries a bucket that is not there yet until it is disposed, then never again", async () => {
    const a = fakeHub("a");
    let attempts = 0;
    const store = createAppStore();
    const runtime = createDeployRuntime({ ...a.client, watchLeaves: async () => (attempts++, Promise.reject(new Error("no such bucket"))) }, store);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toBe(1);
    expect(store.getState().deployProblem).toBe("cannot watch cim_leaves on the hub: no such bucket; retrying");
    await vi.advanceTimersByTimeAsync(3000);
    expect(attempts).toBe(2);
    runtime.dispose();
    await vi.runAllTimersAsync();
    expect(attempts).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps the flake.lock of a deployment sent from here once it succeeded, for that instance; a failed one's, or another design's, is not kept", async () => {
    const lock = JSON.stringify({ nodes: { nixpkgs: { locked: { rev: "a".repeat(40), type: "github" } }, root: { inputs: { nixpkgs: "nixpkgs" } } }, root: "root", version: 7 });
    const a = fakeHub("a");
    const store = createAppStore();
    const runtime = createDeployRuntime({ ...a.client, files: async () => ({ "flake.nix": "{ }", "flake.lock": lock }) }, store);
    await vi.runAllTimersAsync();
    a.hub.leaves!({ "leaf-a": leaf("leaf-a") });
    const end = (deploymentId: string, type: "succeeded" | "failed") => {
      runtime.followOnly([deploymentId]);
      const base = { v: 1 as const, deploymentId, leafId: "leaf-a", ts: new Date(0).toISOString() };
      a.following.get(deploymentId)!({ ...base, seq: 1, type: "accepted", instance: "cim-a", action: "switch", designHash: "h", signer: { key: "U", name: "t" } });
      a.following.get(deploymentId)!(type === "failed" ? { ...base, seq: 2, type, error: { code: "E_STEP_FAILED", message: "no" } } : { ...base, seq: 2, type });
    };
    const request = { leafId: "leaf-a", instance: "cim-a", action: "switch" as const, files: { "alchemist.json": "{}" }, designHash: "e3b0", confirm: { mode: "auto" as const, timeoutSeconds: 60 } };

    end(await runtime.deploy(request), "failed");
    await vi.runAllTimersAsync();
    expect(store.getState().locks).toEqual({});

    const other = await runtime.deploy(request);
    store.setState({ designId: "another-design" });
    end(other, "succeeded");
    await vi.runAllTimersAsync();
    expect(store.getState().locks).toEqual({});

    end(await runtime.deploy({ ...request, updateInputs: true }), "succeeded");
    await vi.runAllTimersAsync();
    expect(store.getState().locks).toEqual({ "cim-a": lock });
    expect(a.sent.at(-1)).toMatchObject({ type: "deploy", updateInputs: true });
    runtime.dispose();
  });

  it("a cancel of a deployment its leaf has not taken yet is also left for the leaf to see before it starts; once taken, only sent", async () => {
    const a = fakeHub("a");
    const store = createAppStore();
    const runtime = createDeployRuntime(a.client, store);
    await vi.runAllTimersAsync();
    a.hub.leaves!({ "leaf-a": { ...leaf("leaf-a"), status: "offline" } });
    const id = await runtime.deploy({ leafId: "leaf-a", instance: "cim-a", action: "switch", files: { "alchemist.json": "{}" }, designHash: "e3b0", confirm: { mode: "auto", timeoutSeconds: 60 } });
    await runtime.control("cancel", { leafId: "leaf-a", deploymentId: id });
    expect(a.beforeStart.map((c) => [c.type, c.deploymentId, c.leafId])).toEqual([["cancel", id, "leaf-a"]]);
    expect(a.sent.map((c) => [c.type, c.deploymentId])).toEqual([["deploy", id], ["cancel", id]]);
    // Two messages, two ids: the stream would drop the second of one id as a duplicate.
    expect(new Set([a.beforeStart[0]!.commandId, a.sent[1]!.commandId]).size).toBe(2);

    runtime.followOnly([id]);
    a.following.get(id)!({ v: 1, deploymentId: id, leafId: "leaf-a", seq: 1, ts: "", type: "accepted", instance: "cim-a", action: "switch", designHash: "h", signer: { key: "k", name: "n" } });
    await vi.runAllTimersAsync();
    await runtime.control("cancel", { leafId: "leaf-a", deploymentId: id });
    expect(a.beforeStart).toHaveLength(1);
    expect(a.sent.map((c) => c.type)).toEqual(["deploy", "cancel", "cancel"]);
    expect(await runtime.commandsKeptSeconds()).toBe(86_400);
    runtime.dispose();
  });

  it("sends no command to a leaf that has never registered: rollback, cancel and confirm say why (no executor takes its commands)", async () => {
    const a = fakeHub("a");
    const runtime = createDeployRuntime(a.client, createAppStore());
    const why = { error: { code: "E_LEAF_UNREGISTERED", message: expect.stringContaining("leaf ghost has never registered with the hub") } };
    await expect(runtime.rollback({ leafId: "ghost", instance: "cim-minimal", deploymentId: "d-1" })).rejects.toMatchObject(why);
    await expect(runtime.control("cancel", { leafId: "ghost", deploymentId: "d-1" })).rejects.toMatchObject(why);
    expect(a.sent).toEqual([]);
    runtime.dispose();
  });
});
