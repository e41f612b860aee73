import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm } from "@nats-io/kv";
import { DesignStore, type SaveResult } from "../../src/client/designStore";
import type { Design } from "../../src/core/design/types";
import { DESIGNS_BUCKET, DESIGN_HISTORY, signerFromSeed, type CommandSigner, type Role } from "../../src/core/protocol";
import type { DesignRevision } from "../../src/core/protocol/designRecord";
import { SecureTopology } from "../support/auth";
import { waitUntil } from "../support/faults";

/*
 * Designs on the hub (issue 12), with a real nats-server in operator mode and people logged in
 * with credentials issued as `alchemist creds --person` issues them: every save is a
 * compare-and-set, so two people saving one design never lose a save; each revision says who
 * made it, proven by their key; earlier revisions can be read and restored.
 */

const alice: Role = { role: "operator", name: "alice" };
const bob: Role = { role: "operator", name: "bob" };

let s: SecureTopology;
const conns: NatsConnection[] = [];

async function storeOf(role: Role & { role: "operator" }, problems: string[] = []): Promise<{ store: DesignStore; signer: CommandSigner }> {
  const id = await s.identity(role);
  const nc = await s.connectAs(role);
  conns.push(nc);
  const signer = signerFromSeed(id.seed);
  if (!signer.ok) throw new Error(signer.error.message);
  return { store: new DesignStore(nc, "hub", signer.value, role.name, (p) => problems.push(p)), signer: signer.value };
}

const design = (name: string, nodeIds: string[]): Design => ({
  version: 2,
  name,
  nodes: nodeIds.map((id, i) => ({ id, kind: "nats-hub", position: { x: i * 10, y: 0 }, config: {} })),
  edges: [],
});

const written = (r: SaveResult): number => {
  if (!r.ok) throw new Error(`expected the save to be written, ${r.theirs.save.savedBy.name}'s revision ${r.theirs.revision} was in the way`);
  return r.revision;
};

let designId = 0;
const newId = () => `d-it-${Date.now().toString(36)}-${designId++}`;

beforeAll(async () => {
  s = await SecureTopology.start();
});

afterAll(async () => {
  for (const nc of conns) await nc.close().catch(() => undefined);
  await s?.stop();
});

describe("designs on the hub", () => {
  it("a save names its author by the key that signed it, and every logged-in person reads it", async () => {
    const a = await storeOf(alice);
    const b = await storeOf(bob);
    const id = newId();
    const rev = written(await a.store.save(id, design('Fleet "${x}"', ["hub"]), 0));
    const seen = await b.store.get(id);
    expect(seen).toMatchObject({ designId: id, revision: rev, signature: "verified", save: { savedBy: { name: "alice", key: a.signer.publicKey }, basedOn: 0, design: { name: 'Fleet "${x}"' } } });
    expect((await b.store.list()).map((r) => r.designId)).toContain(id);
  });

  it("two people saving the same revision at once: one is written, the other hears of it, and after merging both are kept", async () => {
    const a = await storeOf(alice);
    const b = await storeOf(bob);
    for (let round = 0; round < 8; round++) {
      const id = newId();
      const base = written(await a.store.save(id, design("shared", ["hub"]), 0));
      const [ra, rb] = await Promise.all([a.store.save(id, design("shared", ["hub", "alice-node"]), base), b.store.save(id, design("shared", ["hub", "bob-node"]), base)]);
      expect([ra.ok, rb.ok].filter(Boolean), `round ${round}: exactly one save is written`).toHaveLength(1);
      const [winner, loser, loserStore] = ra.ok ? [ra, rb, b.store] : [rb, ra, a.store];
      if (loser.ok || !winner.ok) throw new Error("unreachable");
      // The refused save is told what is in the way: the winner's revision, as written.
      expect(loser.theirs.revision).toBe(winner.revision);
      expect(loser.theirs.save.basedOn).toBe(base);
      const merged = design("shared", ["hub", "alice-node", "bob-node"]);
      const after = written(await loserStore.save(id, merged, loser.theirs.revision, "merged"));
      const history = await a.store.history(id);
      expect(history.map((r) => [r.revision, r.save.design.nodes.map((n) => n.id)])).toEqual([
        [base, ["hub"]],
        [winner.revision, winner === ra ? ["hub", "alice-node"] : ["hub", "bob-node"]],
        [after, ["hub", "alice-node", "bob-node"]],
      ]);
      expect(history.at(-1)?.save.note).toBe("merged");
    }
  });

  it("a save made on an old revision is refused even when nobody races it", async () => {
    const a = await storeOf(alice);
    const b = await storeOf(bob);
    const id = newId();
    const first = written(await a.store.save(id, design("x", ["one"]), 0));
    const second = written(await b.store.save(id, design("x", ["one", "two"]), first));
    const stale = await a.store.save(id, design("x", ["three"]), first);
    expect(stale).toMatchObject({ ok: false, theirs: { revision: second, save: { savedBy: { name: "bob" } } } });
    // And a "new" design under a key the hub already has is not written over either.
    expect(await b.store.save(id, design("x", ["four"]), 0)).toMatchObject({ ok: false, theirs: { revision: second } });
    expect((await a.store.get(id))?.save.design.nodes.map((n) => n.id)).toEqual(["one", "two"]);
  });

  it("versions: each revision can be read again and restored as the new current one", async () => {
    const a = await storeOf(alice);
    const id = newId();
    const revs: number[] = [];
    let last = 0;
    for (const nodes of [["a"], ["a", "b"], ["a", "b", "c"]]) revs.push((last = written(await a.store.save(id, design("v", nodes), last))));
    const old = await a.store.revision(id, revs[0]!);
    expect(old?.save.design.nodes.map((n) => n.id)).toEqual(["a"]);
    const restored = written(await a.store.save(id, old!.save.design, last, `restored revision ${revs[0]}`));
    const latest = await a.store.get(id);
    expect({ revision: latest?.revision, nodes: latest?.save.design.nodes.map((n) => n.id), note: latest?.save.note }).toEqual({ revision: restored, nodes: ["a"], note: `restored revision ${revs[0]}` });
    expect((await a.store.history(id)).map((r) => r.revision)).toEqual([...revs, restored]);
    // A revision number of another design's entry is not this design's revision.
    const other = newId();
    const otherRev = written(await a.store.save(other, design("o", ["z"]), 0));
    expect(await a.store.revision(id, otherRev)).toBeNull();
  });

  it(`the hub keeps the last ${DESIGN_HISTORY} revisions of a design`, async () => {
    const a = await storeOf(alice);
    const id = newId();
    let last = 0;
    for (let i = 0; i < DESIGN_HISTORY + 3; i++) last = written(await a.store.save(id, design(`r${i}`, ["n"]), last));
    const history = await a.store.history(id);
    expect(history).toHaveLength(DESIGN_HISTORY);
    expect(history.map((r) => r.save.design.name).slice(0, 1)).toEqual(["r3"]);
    expect(history.at(-1)?.revision).toBe(last);
  });

  it("a save while the hub is away fails (nothing written), and the watch of another person's saves resumes when it is back", async () => {
    const a = await storeOf(alice);
    const b = await storeOf(bob);
    const id = newId();
    const first = written(await a.store.save(id, design("w", ["n"]), 0));
    const heard: DesignRevision[] = [];
    const stop = a.store.watch((r) => heard.push(r), id);
    const second = written(await b.store.save(id, design("w", ["n", "m"]), first));
    await waitUntil(() => heard.some((r) => r.revision === second), "alice to hear of bob's save");
    await s.t.hub.stop();
    await expect(b.store.save(id, design("w", ["lost?"]), second)).rejects.toThrow();
    await s.t.hub.restart();
    await waitUntil(async () => (await b.store.save(id, design("w", ["n", "m", "k"]), second).catch(() => null))?.ok === true, "bob's save to reach the hub back");
    await waitUntil(() => heard.some((r) => r.save.design.nodes.length === 3), "alice's watch to resume");
    stop();
    // Nothing was written while the hub was away.
    expect((await a.store.history(id)).map((r) => r.save.design.nodes.map((n) => n.id))).toEqual([["n"], ["n", "m"], ["n", "m", "k"]]);
  });

  it("what is not a design save under a design's key is left out and said; a save writes over it; a deleted design leaves the list and can be saved again", async () => {
    const problems: string[] = [];
    const a = await storeOf(alice, problems);
    const id = newId();
    const first = written(await a.store.save(id, design("d", ["n"]), 0));
    // Anyone who may save may write any bytes under a key: here, not a save at all.
    const raw = await new Kvm(s.t.js).open(DESIGNS_BUCKET);
    const junk = await raw.put(id, "{ not json");
    expect(await a.store.get(id)).toBeNull();
    expect(problems.join("\n")).toMatch(new RegExp(`revision ${junk} of design ${id} cannot be read`));
    expect((await a.store.list()).some((r) => r.designId === id)).toBe(false);
    // Its history still has the good revision, which can be restored over the junk.
    expect((await a.store.history(id)).map((r) => r.revision)).toEqual([first]);
    const over = written(await a.store.save(id, design("d", ["n", "again"]), first));
    expect((await a.store.get(id))?.revision).toBe(over);
    await a.store.remove(id);
    expect((await a.store.list()).some((r) => r.designId === id)).toBe(false);
    expect(written(await a.store.save(id, design("d", ["back"]), over))).toBeGreaterThan(over);
  });

  it("a design id that cannot be a key is refused before anything is sent", async () => {
    const a = await storeOf(alice);
    await expect(a.store.save("a.b", design("x", []), 0)).rejects.toMatchObject({ error: { code: "E_DESIGN_KEY" } });
    await expect(a.store.get("*")).rejects.toMatchObject({ error: { code: "E_DESIGN_KEY" } });
  });
});
