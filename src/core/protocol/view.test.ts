import { describe, expect, it } from "vitest";
import type { DeployEvent, EventBody } from "./events";
import { applyEvent, emptyView, foldEvents, isFinished, nodeStates } from "./view";

let seq = 0;
const ev = (body: EventBody, s = ++seq): DeployEvent => ({ v: 1, deploymentId: "d1", leafId: "leaf-01", seq: s, ts: `2026-11-23T10:00:${String(s).padStart(2, "0")}Z`, ...body });

function run(): DeployEvent[] {
  seq = 0;
  return [
    ev({ type: "accepted", instance: "cim-a", action: "switch", designHash: "sha256-x" }),
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
    expect(v.steps.prepare).toEqual({ state: "ok", durationMs: 5 });
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
    seq = 9;
    const rejected = ev({ type: "rejected", reason: "no", error: { code: "E_CMD_UNKNOWN_DEPLOYMENT", message: "no" } });
    expect(foldEvents("d1", [...events, rejected]).status).toBe("running");
    const failed = ev({ type: "failed", error: { code: "E_STEP_FAILED", message: "health" } });
    const v = foldEvents("d1", [...events, rejected, failed]);
    expect(isFinished(v)).toBe(true);
    expect(v.error?.code).toBe("E_STEP_FAILED");
    seq = 0;
    expect(foldEvents("d1", [ev({ type: "rejected", reason: "bad", error: { code: "E_CMD_FIELD", message: "bad" } })]).status).toBe("rejected");
  });
});

describe("nodeStates", () => {
  it("colours nodes by their units while running, and by the outcome at the end", () => {
    const events = run();
    expect(nodeStates(foldEvents("d1", events), "host", ["host", "nats", "graph", "net"])).toEqual({ host: "deploying", nats: "active", graph: "failed", net: "deploying" });
    seq = 9;
    const failedEnd = foldEvents("d1", [...events, ev({ type: "failed", error: { code: "E_STEP_FAILED", message: "x" } })]);
    expect(nodeStates(failedEnd, "host", ["host", "nats", "graph", "net"])).toEqual({ host: "failed", nats: "pending", graph: "failed", net: "pending" });
    seq = 9;
    const ok = foldEvents("d1", [...events.slice(0, 8), ev({ type: "succeeded" })]);
    expect(nodeStates(ok, "host", ["host", "nats", "net"])).toEqual({ host: "active", nats: "active", net: "active" });
  });
});
