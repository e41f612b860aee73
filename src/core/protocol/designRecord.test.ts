import { createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import type { Design } from "../design/types";
import { decodeDesignSave, encodeDesignSave, type DesignSave } from "./designRecord";
import { signerFromSeed, type CommandSigner } from "./signing";

const newSigner = (): CommandSigner => {
  const r = signerFromSeed(new TextDecoder().decode(createUser().getSeed()));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const design: Design = { version: 2, name: 'Fleet "${prod}"\n', nodes: [{ id: "hub", kind: "nats-hub", position: { x: 0, y: 0 }, config: {} }], edges: [] };
const save = (over: Partial<DesignSave> = {}): Omit<DesignSave, "v"> => ({ designId: "d1", design, savedBy: { name: "alice" }, savedAt: "2026-12-01T10:00:00.000Z", basedOn: 3, ...over });
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

describe("a design save on the hub", () => {
  it("reads back as written, the signer's key proven", () => {
    const signer = newSigner();
    const r = decodeDesignSave("d1", 7, encodeDesignSave(save({ note: "merged" }), signer));
    expect(r).toEqual({ ok: true, value: { designId: "d1", revision: 7, signature: "verified", save: { v: 1, ...save({ note: "merged" }), savedBy: { name: "alice", key: signer.publicKey } } } });
  });

  it("unsigned saves say so and name no key", () => {
    const r = decodeDesignSave("d1", 1, encodeDesignSave(save({ savedBy: { name: "bob", key: newSigner().publicKey } })));
    expect(r.ok && { signature: r.value.signature, by: r.value.save.savedBy }).toEqual({ signature: "unsigned", by: { name: "bob" } });
  });

  it("a save changed after signing, or signed by another key than it names, is not the author's", () => {
    const signer = newSigner();
    const envelope = JSON.parse(text(encodeDesignSave(save(), signer)));
    const tampered = { ...envelope, save: envelope.save.replace('"alice"', '"mallory"') };
    const r1 = decodeDesignSave("d1", 1, bytes(JSON.stringify(tampered)));
    expect(r1.ok && { signature: r1.value.signature, by: r1.value.save.savedBy }).toEqual({ signature: "bad", by: { name: "mallory" } });
    const other = newSigner();
    const resigned = JSON.parse(text(encodeDesignSave(save(), other)));
    const claimsAlice = { ...resigned, save: resigned.save.replace(other.publicKey, signer.publicKey) };
    const r2 = decodeDesignSave("d1", 1, bytes(JSON.stringify(claimsAlice)));
    expect(r2.ok && r2.value.signature).toBe("bad");
    expect(r2.ok && r2.value.save.savedBy.key).toBeUndefined();
  });

  it("anything else under a design's key is damaged, with the design and revision named", () => {
    const cases: [string, Uint8Array][] = [
      ["not JSON", bytes("{")],
      ["not a design save", bytes(JSON.stringify({ v: 2, save: "{}" }))],
      ["not a save of this design", encodeDesignSave(save({ designId: "d2" }))],
      ["who saved", bytes(JSON.stringify({ v: 1, save: JSON.stringify({ ...save(), v: 1, savedBy: { name: "" } }) }))],
      ["time of saving", bytes(JSON.stringify({ v: 1, save: JSON.stringify({ ...save(), v: 1, savedAt: "yesterday" }) }))],
      ["does not load", bytes(JSON.stringify({ v: 1, save: JSON.stringify({ ...save(), v: 1, design: { version: 99, name: "x", nodes: [], edges: [] } }) }))],
    ];
    for (const [why, b] of cases) {
      const r = decodeDesignSave("d1", 4, b);
      expect(r.ok ? "ok" : r.error.message, why).toMatch(new RegExp(`revision 4 of design d1 .*${why}`));
      expect(r.ok || r.error.code).toBe("E_DESIGN_SAVE_DAMAGED");
    }
  });
});
