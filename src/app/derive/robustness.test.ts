import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadDesign } from "../../core/design/load";
import type { Design } from "../../core/design/types";
import { emptyView, eventSubject, foldBatch, historyOf, lastSucceeded, leafState, own } from "../../core/protocol";
import { parseDeploymentSummary, parseEventMessage, parseLeafRecord } from "../../core/protocol/schemas";
import { TRICKY, breakEvent, breakRecord, garbage, leafRecord, readBucket, summary, token, validEvents } from "../../../tests/support/protocolArbitraries";
import minimal from "../../../templates/minimal.json";
import { createAppStore } from "../store/create";
import { nodeDeployMap } from "./canvasState";
import { instancesOf } from "./instances";
import { deployBlocker } from "./readiness";
import { leafChoices } from "../../core/protocol";

/**
 * The deploy slice of a store of its own, fed what the client would hand it from random hub
 * traffic: the registry and summaries that pass their checks, and the folded events of
 * deployments with ids such as "constructor". What the bar, the dialog and the canvas derive
 * from it never throws, and every valid record and event is there.
 */

const design = loadDesign(minimal).design!;
const withLeaf = (d: Design, leafId: string): Design => ({ ...d, nodes: d.nodes.map((n) => (n.kind === "cim-instance" ? { ...n, config: { ...n.config, leafId } } : n)) });

const traffic = fc.record({
  leaves: fc.array(fc.oneof(leafRecord().map((r) => ({ key: r.leafId, text: JSON.stringify(r), valid: true })), leafRecord().chain((r) => breakRecord(r).map((text) => ({ key: r.leafId, text, valid: false }))), fc.tuple(token, garbage).map(([key, text]) => ({ key, text, valid: false }))), { maxLength: 20 }),
  summaries: fc.array(
    fc.oneof(
      summary(fc.constantFrom(...TRICKY, "d-1", "d-2")).map((r) => ({ key: `${r.leafId}.${r.deploymentId}`, record: r, text: JSON.stringify(r), valid: true })),
      summary().chain((r) => breakRecord(r).map((text) => ({ key: r.deploymentId, record: r, text, valid: false }))),
    ),
    { minLength: 1, maxLength: 20 },
  ),
  leafOfDesign: fc.option(fc.constantFrom(...TRICKY, "leaf-a"), { nil: undefined }),
  now: fc.integer({ min: 0, max: 4_102_444_800_000 }),
});

describe("the deploy slice under random hub traffic", () => {
  // A property over many random runs: seconds alone, tens of seconds on a loaded 2-core machine.
  it("takes every valid record and event, and nothing derived from it throws", { timeout: 120_000 }, () => {
    const store = createAppStore();
    fc.assert(
      fc.property(
        traffic.chain((t) =>
          fc.record({
            t: fc.constant(t),
            // Events for each summarised deployment, from its own leaf, with broken ones mixed in.
            events: fc.tuple(...t.summaries.map((s) => validEvents(s.record.deploymentId, s.record.leafId).chain((valid) => fc.record({ valid: fc.constant(valid), broken: fc.array(breakEvent(valid[0]!.event), { maxLength: 3 }), followed: fc.boolean() })))),
          }),
        ),
        ({ t, events }) => {
          const d = t.leafOfDesign ? withLeaf(design, t.leafOfDesign) : design;
          store.setState({ nodes: d.nodes, edges: d.edges, designName: d.name, views: {}, deployedFiles: {} });
          const s = () => store.getState();
          s().setDeployLinked(true);

          const leaves = readBucket(t.leaves, parseLeafRecord);
          const summaries = readBucket(t.summaries, parseDeploymentSummary);
          s().setLeaves(Object.fromEntries(leaves));
          s().setDeployments(Object.fromEntries(summaries));

          t.summaries.forEach((sum, i) => {
            const { deploymentId, leafId } = sum.record;
            const { valid, broken, followed } = events[i]!;
            // Not every summarised deployment is followed, and one just summarised has no view yet.
            if (!followed) return;
            const arrived = [...broken, ...valid.map((v) => v.text)].flatMap((text) => {
              const p = parseEventMessage(eventSubject(leafId, deploymentId), text, deploymentId);
              return p.ok ? [p.value] : [];
            });
            // As runtime.ts folds a batch into the store: from the view there, or a new one pinned to the summary's leaf.
            const batch = foldBatch(own(s().views, deploymentId) ?? emptyView(deploymentId, leafId), arrived);
            s().setView(batch.view);
          });

          for (const [key, leaf] of leaves) expect(own(s().leaves, key)).toEqual(leaf);
          for (const [key, sum] of summaries) expect(own(s().deployments, key)).toEqual(sum);
          t.summaries.forEach((sum, i) => events[i]!.followed && expect(own(s().views, sum.record.deploymentId)?.lastSeq).toBeGreaterThan(0));

          // What the Deploy bar, the dialog, the History and the canvas compute from the slice.
          const state = s();
          Object.values(state.leaves).filter((l) => leafState(l, t.now) !== "offline");
          nodeDeployMap(state);
          for (const instance of instancesOf(state)) {
            leafChoices(state.leaves, instance, t.now);
            deployBlocker(state, instance, t.now);
            for (const h of historyOf(state.deployments, instance.hostId)) lastSucceeded(state.deployments, instance.hostId, h.deploymentId);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
