import { describe, expect, it } from "vitest";
import type { DeployEvent, EventBody } from "./events";
import type { DeploymentSummary, LeafRecord } from "./records";
import { applyEvent, emptyView, failureOf, foldEvents, historyOf, isFinished, isOver, lastSucceeded, leafState, nodeStates, servesInstance } from "./view";

const signer = { key: `U${"A".repeat(55)}`, name: "alice" };

/** Events of deployment d1 numbered from `from` on: each test numbers its own, nothing is shared. */
function numbered(from = 1): (body: EventBody) => DeployEvent {
  let next = from;
  return (body) => {
    const s = next++;
    return { v: 1, deploymentId: "d1", leafId: "leaf-01", seq: s, ts: `2026-11-23T10:00:${String(s).padStart(2, "0")}Z`, ...body };
  };
}

/** A running deployment's nine events, seq 1 to 9. */
function run(): DeployEvent[] {
  const ev = numbered();
  return [
    ev({ type: "accepted", instance: "cim-a", action: "switch", designHash: "sha256-x", signer }),
    ev({ type: "step-started", step: "prepare" }),
    ev({ type: "step-finished", step: "prepare", status: "ok", durationMs: 5 }),
    ev({ type: "step-started", step: "build" }),
    ev({ type: "step-log", step: "build", stream: "stderr", line: "a\nb\nc" }),
    ev({ type: "step-progress", step: "build", done: 2, total: 3, unit: "builds", label: "building" }),
    ev({ type: "step-finished", step: "build", status: "ok", durationMs: 900 }),
    ev({ type: "unit-status", unit: "nats.service", nodeId: "nats", active: true, state: "active" }),
    ev({ type: "unit-status", unit: "cim-graph-domain.service", nodeId: "graph", active: false, state: "failed" }),
  ];
}

describe("foldEvents", () => {
  it("builds the view of a deployment from its events", () => {
    const v = foldEvents("d1", run());
    expect(v).toMatchObject({ status: "running", instance: "cim-a", action: "switch", currentStep: "build", lastSeq: 9, logLines: 3 });
    expect(v.steps.prepare).toEqual({ state: "ok", durationMs: 5, startedAt: "2026-11-23T10:00:02Z" });
    expect(v.steps.build).toMatchObject({ state: "ok", durationMs: 900, progress: { done: 2, total: 3 } });
    expect(v.steps.confirm.state).toBe("pending");
    expect(v.gapAt).toBeUndefined();
  });

  it("is the same whatever the order and however often events arrive (replay + live overlap)", () => {
    const events = run();
    const once = foldEvents("d1", events);
    const shuffledTwice = foldEvents("d1", [...events].reverse().concat(events.slice(3, 6)));
    expect(shuffledTwice).toEqual(once);
    let live = emptyView("d1");
    for (const e of [...events.slice(0, 5), ...events.slice(0, 9)]) live = applyEvent(live, e);
    expect(live).toEqual(once);
  });

  it("notes a gap in seq", () => {
    const events = run();
    let v = emptyView("d1");
    for (const e of [events[0]!, events[1]!, events[4]!]) v = applyEvent(v, e);
    expect(v.gapAt).toBe(3);
  });

  it("ends on terminal events; a rejected control command does not end a running deployment", () => {
    const events = run();
    const ev = numbered(10);
    const rejected = ev({ type: "rejected", reason: "no", error: { code: "E_CMD_UNKNOWN_DEPLOYMENT", message: "no" } });
    expect(foldEvents("d1", [...events, rejected]).status).toBe("running");
    const failed = ev({ type: "failed", error: { code: "E_STEP_FAILED", message: "health" } });
    const v = foldEvents("d1", [...events, rejected, failed]);
    expect(isFinished(v)).toBe(true);
    expect(v.error?.code).toBe("E_STEP_FAILED");
    expect(foldEvents("d1", [numbered()({ type: "rejected", reason: "bad", error: { code: "E_CMD_FIELD", message: "bad" } })]).status).toBe("rejected");
  });
});

describe("nodeStates", () => {
  it("colours nodes by their units while running, and by the outcome at the end", () => {
    const events = run();
    expect(nodeStates(foldEvents("d1", events), "host", ["host", "nats", "graph", "net"])).toEqual({ host: "deploying", nats: "active", graph: "failed", net: "deploying" });
    const failedEnd = foldEvents("d1", [...events, numbered(10)({ type: "failed", error: { code: "E_STEP_FAILED", message: "x" } })]);
    expect(nodeStates(failedEnd, "host", ["host", "nats", "graph", "net"])).toEqual({ host: "failed", nats: "not-run", graph: "failed", net: "not-run" });
    const ok = foldEvents("d1", [...events.slice(0, 8), numbered(9)({ type: "succeeded" })]);
    expect(nodeStates(ok, "host", ["host", "nats", "net"])).toEqual({ host: "active", nats: "active", net: "active" });
  });
});

describe("timeline and failure", () => {
  it("lists every milestone once, in seq order, and never logs or progress", () => {
    const events = run();
    const v = foldEvents("d1", [...events, ...events.slice(2, 7)]);
    expect(v.timeline.map((t) => t.seq)).toEqual([1, 2, 3, 4, 7, 8, 9]);
    expect(v.timeline[4]!.text).toBe("build ok (900 ms)");
    expect(v.timeline[6]!.text).toBe("unit cim-graph-domain.service (graph) failed");
  });

  it("names the failing step and its reason, and says when it was rolled back", () => {
    const ev = numbered();
    const v = foldEvents("d1", [
      ev({ type: "accepted", instance: "cim-a", action: "switch", designHash: "sha256-x", signer }),
      ev({ type: "step-started", step: "build" }),
      ev({ type: "step-finished", step: "build", status: "failed", reason: "nixos-rebuild exited with 1", durationMs: 30 }),
      ev({ type: "rolled-back", reason: "build failed" }),
      ev({ type: "failed", error: { code: "E_STEP_FAILED", message: "build failed" } }),
    ]);
    expect(failureOf(v)).toEqual({ error: { code: "E_STEP_FAILED", message: "build failed" }, headline: "build failed", step: "build", reason: "nixos-rebuild exited with 1", rolledBack: "build failed" });
    expect(failureOf(foldEvents("d1", run()))).toBeNull();
    expect(isOver(v)).toBe(true);
    expect(isOver(foldEvents("d1", [numbered()({ type: "rejected", reason: "bad", error: { code: "E_CMD_FIELD", message: "bad" } })]))).toBe(true);
  });
});

describe("the failure summary (issue 18, point 7)", () => {
  it("heads with the message's first line only; the log tail it quoted is detail, and a reason equal to the headline is not repeated", () => {
    const ev = numbered();
    const message = "nixos-rebuild build exited with code 1:\nerror: builder for '/nix/store/x.drv' failed\nlast line";
    const v = foldEvents("d1", [
      ev({ type: "accepted", instance: "cim-a", action: "switch", designHash: "sha256-x", signer }),
      ev({ type: "step-started", step: "build" }),
      ev({ type: "step-finished", step: "build", status: "failed", reason: message, durationMs: 30 }),
      ev({ type: "failed", error: { code: "E_STEP_FAILED", message } }),
    ]);
    const f = failureOf(v)!;
    expect(f.headline).toBe("nixos-rebuild build exited with code 1");
    expect(f.detail).toBe("error: builder for '/nix/store/x.drv' failed\nlast line");
    expect(f.reason).toBeUndefined();
    expect(f.step).toBe("build");
  });

  it("after a failed or cancelled deployment no node reads pending: those never deployed are not-run", () => {
    const ev = numbered();
    const started = [ev({ type: "accepted", instance: "cim-a", action: "switch", designHash: "sha256-x", signer }), ev({ type: "step-started", step: "build" })];
    const failed = foldEvents("d1", [...started, numbered(3)({ type: "failed", error: { code: "E_STEP_FAILED", message: "x" } })]);
    expect(Object.values(nodeStates(failed, "host", ["host", "nats"]))).toEqual(["failed", "not-run"]);
    const cancelled = foldEvents("d1", [...started, numbered(3)({ type: "cancelled", reason: "asked" })]);
    expect(Object.values(nodeStates(cancelled, "host", ["host", "nats"]))).toEqual(["not-run", "not-run"]);
  });
});

const summary = (deploymentId: string, state: DeploymentSummary["state"], acceptedAt: string, instance = "cim-a"): DeploymentSummary => ({
  deploymentId,
  commandId: `c-${deploymentId}`,
  leafId: "leaf-01",
  instance,
  action: "switch",
  designHash: "sha256-x",
  signer,
  commandSeq: 1,
  state,
  step: null,
  rollbackOf: null,
  acceptedAt,
  startedAt: state === "queued" ? null : acceptedAt,
  finishedAt: null,
  error: null,
});

describe("history", () => {
  const all = Object.fromEntries(
    [
      summary("d1", "succeeded", "2026-11-23T10:00:00Z"),
      summary("d2", "failed", "2026-11-23T10:05:00Z"),
      summary("d3", "succeeded", "2026-11-23T10:10:00Z"),
      summary("d4", "queued", "2026-11-23T10:11:00Z"),
      summary("x1", "succeeded", "2026-11-23T11:00:00Z", "cim-b"),
    ].map((d) => [d.deploymentId, d]),
  );

  it("orders an instance's deployments newest first, a queued one on top", () => {
    expect(historyOf(all, "cim-a").map((d) => d.deploymentId)).toEqual(["d4", "d3", "d2", "d1"]);
  });

  it("finds the last success, or the last one before a given deployment", () => {
    expect(lastSucceeded(all, "cim-a")?.deploymentId).toBe("d3");
    expect(lastSucceeded(all, "cim-a", "d3")?.deploymentId).toBe("d1");
    expect(lastSucceeded(all, "cim-a", "d1")).toBeUndefined();
    expect(lastSucceeded(all, "cim-a", "nope")).toBeUndefined();
    expect(lastSucceeded(all, "cim-c")).toBeUndefined();
  });
});

describe("leaves", () => {
  const leaf = (status: LeafRecord["status"], lastSeen: string, instances = ["*"]): LeafRecord => ({ leafId: "l", hostname: "h", version: "1", instances, status, currentDeploymentId: null, lastSeen });
  const now = Date.parse("2026-11-23T10:00:20Z");

  it("is offline when it says so or its heartbeat is older than 15 s", () => {
    expect(leafState(leaf("busy", "2026-11-23T10:00:10Z"), now)).toBe("busy");
    expect(leafState(leaf("idle", "2026-11-23T10:00:04Z"), now)).toBe("offline");
    expect(leafState(leaf("offline", "2026-11-23T10:00:19Z"), now)).toBe("offline");
    expect(leafState(leaf("idle", "garbage"), now)).toBe("offline");
  });

  it("serves the instances it lists, or any with *", () => {
    expect(servesInstance(leaf("idle", "", ["*"]), "cim-a")).toBe(true);
    expect(servesInstance(leaf("idle", "", ["cim-b"]), "cim-a")).toBe(false);
  });
});
