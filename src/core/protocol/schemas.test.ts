import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TRICKY, body, breakEvent, breakRecord, extras, garbage, leafRecord, readBucket, summary, textOf, time, token, validEvents } from "../../../tests/support/protocolArbitraries";
import type { DeployEvent } from "./events";
import { eventSubject } from "./names";
import { parseDeploymentSummary, parseEvent, parseEventMessage, parseLeafRecord, parseStoredFiles } from "./schemas";
import { describeEvent, emptyView, failureOf, foldBatch, historyOf, isOver, lastSucceeded, leafState, nodeStates, own, servesInstance } from "./view";

/**
 * What the browser reads from the hub, at random: valid events and records of every kind, the
 * same mutated into something invalid, other leaves' events, and plain garbage. Whatever comes,
 * parsing and folding never throw, and no valid event or record is lost.
 */

describe("events from the wire", () => {
  it("parseEvent takes every valid event as it was, extra fields and all", () => {
    fc.assert(
      fc.property(token, token, fc.record({ body, ts: time, extra: extras }), (d, l, { body, ts, extra }) => {
        const event = { v: 1, deploymentId: d, leafId: l, seq: 1, ts, ...body } as DeployEvent;
        const parsed = parseEvent(textOf(event, extra));
        expect(parsed.ok ? parsed.value : parsed.reason).toMatchObject(event);
        expect(parseEventMessage(eventSubject(l, d), textOf(event, extra), d).ok).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("parseEvent never throws and refuses every broken event with a reason", () => {
    const broken = fc.record({ body, ts: time }).chain(({ body, ts }) => breakEvent({ v: 1, deploymentId: "d-1", leafId: "leaf-a", seq: 7, ts, ...body } as DeployEvent));
    fc.assert(
      fc.property(fc.oneof(broken, garbage), (t) => {
        const parsed = parseEvent(t);
        // Plain garbage could by chance be a valid event; a broken one never is.
        if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 5000 },
    );
    fc.assert(fc.property(fc.record({ body, ts: time }).chain(({ body, ts }) => breakEvent({ v: 1, deploymentId: "d", leafId: "l", seq: 7, ts, ...body } as DeployEvent)), (t) => parseEvent(t).ok === false), { numRuns: 3000 });
  });

  it("names what is wrong: a failed event without error, a step-log without line", () => {
    const base = { v: 1, deploymentId: "d-1", leafId: "leaf-a", seq: 3, ts: "2026-11-23T10:00:00Z" };
    expect(parseEvent(JSON.stringify({ ...base, type: "failed" }))).toEqual({ ok: false, reason: expect.stringMatching(/^failed event #3: error /) });
    expect(parseEvent(JSON.stringify({ ...base, type: "step-log", step: "build", stream: "stderr" }))).toEqual({ ok: false, reason: expect.stringMatching(/^step-log event #3: line /) });
    expect(parseEvent("null")).toEqual({ ok: false, reason: "not an object" });
    expect(parseEvent(JSON.stringify({ ...base, v: 2, type: "succeeded" }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^v /) });
  });

  it("a follower takes only its deployment's events, published on their own leaf's subject", () => {
    const e = { v: 1, deploymentId: "d-1", leafId: "leaf-a", seq: 1, ts: "2026-11-23T10:00:00Z", type: "succeeded" };
    expect(parseEventMessage("cim.deploy.events.leaf-a.d-1", JSON.stringify(e), "d-1").ok).toBe(true);
    expect(parseEventMessage("cim.deploy.events.leaf-b.d-1", JSON.stringify(e), "d-1")).toEqual({ ok: false, reason: "it says leaf leaf-a but was published on cim.deploy.events.leaf-b.d-1" });
    expect(parseEventMessage("cim.deploy.events.leaf-a.d-1", JSON.stringify(e), "d-2")).toEqual({ ok: false, reason: "it belongs to deployment d-1, not d-2" });
  });
});

describe("folding what arrives", () => {
  /**
   * One deployment on leaf L, its events in the hub's order, with everything else a follower
   * may receive mixed in: replays of events already seen, broken events, garbage, events
   * of another leaf on its own subject, and events claiming L on another leaf's subject.
   */
  const arrival = fc
    .record({ d: token, l: token, other: token })
    .filter(({ l, other }) => l !== other)
    .chain(({ d, l, other }) =>
      fc.record({
        d: fc.constant(d),
        l: fc.constant(l),
        valid: validEvents(d, l),
        foreign: validEvents(d, other),
        noise: fc.array(fc.oneof(garbage), { maxLength: 20 }),
        seed: fc.integer(),
      }),
    )
    .chain((a) =>
      fc.record({
        a: fc.constant(a),
        broken: fc.array(fc.constantFrom(...a.valid).chain(({ event }) => breakEvent(event)), { maxLength: 20 }),
        replays: fc.array(fc.nat(a.valid.length - 1), { maxLength: 20 }),
        batchSizes: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
      }),
    );

  it("never throws and applies every valid event exactly once, whatever is mixed in and however it is batched", () => {
    fc.assert(
      fc.property(arrival, ({ a, broken, replays, batchSizes }) => {
        const { d, l, valid, foreign } = a;
        const onItsSubject = (t: string) => ({ subject: eventSubject(l, d), text: t });
        // The valid events keep their order (JetStream's); replays come after what they repeat; everything else goes anywhere.
        let x = a.seed >>> 0;
        const next = () => ((x = (x * 1103515245 + 12345) >>> 0) % 1_000_003) / 1_000_003;
        const stream: { subject: string; text: string }[] = valid.map((v) => onItsSubject(v.text));
        const insertAfter = (min: number, m: { subject: string; text: string }) => stream.splice(min + Math.floor(next() * (stream.length - min + 1)), 0, m);
        for (const r of replays) insertAfter(stream.findIndex((m) => m.text === valid[r]!.text) + 1, onItsSubject(valid[r]!.text));
        for (const t of [...broken, ...a.noise]) insertAfter(0, onItsSubject(t));
        for (const f of foreign) insertAfter(0, { subject: eventSubject(f.event.leafId, d), text: f.text });
        for (const f of foreign.slice(0, 3)) insertAfter(0, { subject: eventSubject(f.event.leafId, d), text: textOf({ ...f.event, leafId: l }) });

        let view = emptyView(d, l);
        const applied: DeployEvent[] = [];
        let dropped = 0;
        let i = 0;
        for (let b = 0; i < stream.length; b++) {
          const size = batchSizes[b % batchSizes.length]!;
          const batch = stream.slice(i, i + size).flatMap((m) => {
            const p = parseEventMessage(m.subject, m.text, d);
            return p.ok ? [p.value] : [];
          });
          i += size;
          const out = foldBatch(view, batch);
          view = out.view;
          applied.push(...out.applied);
          dropped += out.dropped.length;
          // What the screen derives from a view, at every step.
          nodeStates(view, "host", ["host", "nats", ...Object.values(view.units).map((u) => u.nodeId)]);
          failureOf(view);
          isOver(view);
          for (const e of out.applied) describeEvent(e);
        }
        expect(applied.map((e) => e.seq)).toEqual(valid.map((v) => v.event.seq));
        expect(applied).toEqual(valid.map((v) => expect.objectContaining(v.event)));
        expect(dropped).toBe(foreign.length);
        expect(view.lastSeq).toBe(valid.length);
        expect(view.gapAt).toBeUndefined();
        expect(view.leafId).toBe(l);
        const lines = valid.reduce((n, { event: e }) => n + (e.type === "step-log" ? e.line.split("\n").length : 0), 0);
        expect(view.logLines).toBe(lines);
        expect(view.timeline).toHaveLength(valid.filter(({ event: e }) => describeEvent(e) !== null).length);
      }),
      { numRuns: 1000 },
    );
  });

  it("a view not yet pinned to a leaf belongs to the first leaf that speaks for it", () => {
    const e = (leafId: string, seq: number): DeployEvent => ({ v: 1, deploymentId: "d", leafId, seq, ts: "2026-11-23T10:00:00Z", type: "step-started", step: "build" });
    const out = foldBatch(emptyView("d"), [e("a", 1), e("b", 2), e("a", 2)]);
    expect(out.applied.map((x) => `${x.leafId}${x.seq}`)).toEqual(["a1", "a2"]);
    expect(out.dropped).toEqual(["event #2 of d comes from leaf b, but the deployment runs on a"]);
  });
});

describe("registry records", () => {
  it("takes every valid leaf record and summary as it was, under its own key, extra fields and all", () => {
    fc.assert(
      fc.property(leafRecord(), summary(), extras, (leaf, s, extra) => {
        expect(parseLeafRecord(leaf.leafId, textOf(leaf, extra))).toEqual({ ok: true, value: expect.objectContaining(leaf) });
        expect(parseDeploymentSummary(`${s.leafId}.${s.deploymentId}`, textOf(s, extra))).toEqual({ ok: true, value: expect.objectContaining(s) });
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses a record under another key than its own ids: one leaf cannot speak for another", () => {
    fc.assert(
      fc.property(leafRecord(), summary(), token, (leaf, s, key) => {
        fc.pre(key !== leaf.leafId && key !== s.deploymentId);
        expect(parseLeafRecord(key, JSON.stringify(leaf)).ok).toBe(false);
        expect(parseDeploymentSummary(`${key}.${s.deploymentId}`, JSON.stringify(s)).ok).toBe(key === s.leafId);
        // The old layout's key, the deployment id alone, is no leaf's.
        expect(parseDeploymentSummary(s.deploymentId, JSON.stringify(s)).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on anything, and what the screen derives from the survivors never throws either", () => {
    const entries = fc.array(
      fc.oneof(
        leafRecord().map((r) => ({ bucket: "leaves" as const, key: r.leafId, text: JSON.stringify(r), valid: true })),
        summary().map((r) => ({ bucket: "deployments" as const, key: `${r.leafId}.${r.deploymentId}`, text: JSON.stringify(r), valid: true })),
        leafRecord().chain((r) => breakRecord(r).map((text) => ({ bucket: "leaves" as const, key: r.leafId, text, valid: false }))),
        summary().chain((r) => breakRecord(r).map((text) => ({ bucket: "deployments" as const, key: r.deploymentId, text, valid: false }))),
        fc.tuple(fc.constantFrom("leaves" as const, "deployments" as const), token, garbage).map(([bucket, key, text]) => ({ bucket, key, text, valid: false })),
      ),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(entries, fc.integer({ min: 0, max: 4_102_444_800_000 }), (list, now) => {
        const leaves = readBucket(list.filter((e) => e.bucket === "leaves"), parseLeafRecord);
        const deployments = readBucket(list.filter((e) => e.bucket === "deployments"), parseDeploymentSummary);
        const leafMap = Object.fromEntries(leaves);
        const summaries = Object.fromEntries(deployments);
        expect(Object.keys(leafMap).sort()).toEqual([...leaves.keys()].sort());
        for (const leaf of Object.values(leafMap)) {
          leafState(leaf, now);
          servesInstance(leaf, "cim-minimal");
          expect(own(leafMap, leaf.leafId)).toBe(leaf);
        }
        for (const i of new Set(Object.values(summaries).map((s) => s.instance))) {
          const history = historyOf(summaries, i);
          lastSucceeded(summaries, i);
          for (const h of history) lastSucceeded(summaries, i, h.deploymentId);
        }
        for (const id of TRICKY) expect(own(leafMap, id)).toBe(leaves.get(id));
      }),
      { numRuns: 2000 },
    );
  });

  it("stored files are path → text or refused", () => {
    expect(parseStoredFiles('{"flake.nix":"{ }","__proto__":"x"}')).toEqual({ ok: true, value: JSON.parse('{"flake.nix":"{ }","__proto__":"x"}') });
    expect(parseStoredFiles('{"flake.nix":1}').ok).toBe(false);
    expect(parseStoredFiles("null").ok).toBe(false);
    fc.assert(fc.property(garbage, (t) => void parseStoredFiles(t)), { numRuns: 2000 });
  });
});
