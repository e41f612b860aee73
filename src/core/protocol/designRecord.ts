import { base64urlDecode, base64urlEncode } from "../base64url";
import { loadDesignShape } from "../design/load";
import type { Design } from "../design/types";
import { err, fail, ok, type Result } from "../errors";
import { isRecord } from "../objects";
import { isSubjectToken } from "./names";
import { isUserPublicKey, nkeysVerifier, type CommandSigner, type VerifierFactory } from "./signing";

/**
 * One saved revision of a design in the hub's `cim_designs` bucket (key = design id). Whoever
 * may save designs may write any bytes there, so a reader trusts nothing a save says of itself:
 * the name of the person is a claim, the key is proven only by the signature over the save's
 * exact bytes, and a save whose design does not load is shown as damaged, never opened.
 */
export interface DesignSave {
  v: 1;
  designId: string;
  design: Design;
  /** Who saved: the login's name, and the public user nkey that signed the save when it was signed. */
  savedBy: { name: string; key?: string };
  /** When, by the saver's clock (ISO 8601). */
  savedAt: string;
  /** The hub revision this save was made on (0: a design new to the hub). */
  basedOn: number;
  /** Why this revision exists beyond an edit: "restored revision 7", "merged with alice's". */
  note?: string;
}

/** How far a revision's author can be believed. */
export type SaveSignature = "verified" | "unsigned" | "bad";

export interface DesignRevision {
  designId: string;
  /** The KV revision: the one number compare-and-set saves and the versions list go by. */
  revision: number;
  save: DesignSave;
  signature: SaveSignature;
}

/** What a stored entry holds: the save's exact bytes as text, and the signature over them. */
interface Envelope {
  v: 1;
  save: string;
  signer?: string;
  signature?: string;
}

const MAX_NAME = 200;
const MAX_NOTE = 500;

/** The bytes to store for a save, signed when there is a signer (its key goes into `savedBy`). */
export function encodeDesignSave(save: Omit<DesignSave, "v">, signer?: CommandSigner): Uint8Array {
  const body: DesignSave = { v: 1, ...save, savedBy: { name: save.savedBy.name, ...(signer ? { key: signer.publicKey } : {}) } };
  const text = JSON.stringify(body);
  const envelope: Envelope = signer ? { v: 1, save: text, signer: signer.publicKey, signature: base64urlEncode(signer.sign(new TextEncoder().encode(text))) } : { v: 1, save: text };
  return new TextEncoder().encode(JSON.stringify(envelope));
}

const damaged = (designId: string, revision: number, why: string) => fail(err("E_DESIGN_SAVE_DAMAGED", `the hub's revision ${revision} of design ${designId} cannot be read: ${why}`));

/**
 * Reads a stored entry of key `designId` at `revision`. Never throws: an entry that is not a
 * save of that design, or whose design does not load, is an E_DESIGN_SAVE_DAMAGED naming both.
 */
export function decodeDesignSave(designId: string, revision: number, bytes: Uint8Array, verifier: VerifierFactory = nkeysVerifier): Result<DesignRevision> {
  let envelope: unknown;
  let save: unknown;
  try {
    envelope = JSON.parse(new TextDecoder().decode(bytes));
    if (!isRecord(envelope) || envelope.v !== 1 || typeof envelope.save !== "string") return damaged(designId, revision, "it is not a design save");
    save = JSON.parse(envelope.save);
  } catch {
    return damaged(designId, revision, "it is not JSON");
  }
  if (!isRecord(save) || save.v !== 1 || save.designId !== designId) return damaged(designId, revision, "it is not a save of this design");
  const by = save.savedBy;
  if (!isRecord(by) || typeof by.name !== "string" || by.name.length === 0 || by.name.length > MAX_NAME || (by.key !== undefined && (typeof by.key !== "string" || !isUserPublicKey(by.key)))) {
    return damaged(designId, revision, "it does not say who saved it");
  }
  if (typeof save.savedAt !== "string" || Number.isNaN(Date.parse(save.savedAt))) return damaged(designId, revision, "it has no time of saving");
  if (typeof save.basedOn !== "number" || !Number.isInteger(save.basedOn) || save.basedOn < 0) return damaged(designId, revision, "basedOn is not a revision");
  if (save.note !== undefined && (typeof save.note !== "string" || save.note.length > MAX_NOTE)) return damaged(designId, revision, "its note is not text");
  const loaded = loadDesignShape(save.design);
  if (!loaded.design) return damaged(designId, revision, `its design does not load (${loaded.diagnostics.map((d) => d.message).join("; ")})`);
  const e = envelope as unknown as Envelope;
  const signature = signatureOf(e, by.key as string | undefined, verifier);
  return ok({
    designId,
    revision,
    signature,
    save: {
      v: 1,
      designId,
      design: loaded.design,
      // A key the signature does not prove is not shown as the author's.
      savedBy: { name: by.name, ...(signature === "verified" ? { key: by.key as string } : {}) },
      savedAt: save.savedAt,
      basedOn: save.basedOn,
      ...(save.note !== undefined ? { note: save.note as string } : {}),
    },
  });
}

function signatureOf(e: Envelope, claimed: string | undefined, verifier: VerifierFactory): SaveSignature {
  if (e.signer === undefined && e.signature === undefined && claimed === undefined) return "unsigned";
  if (typeof e.signer !== "string" || typeof e.signature !== "string" || e.signer !== claimed || !isUserPublicKey(e.signer)) return "bad";
  const signature = base64urlDecode(e.signature);
  if (!signature) return "bad";
  try {
    return verifier(e.signer)(new TextEncoder().encode(e.save), signature) ? "verified" : "bad";
  } catch {
    return "bad";
  }
}

/** A design id the hub can key: one subject token (the browser's ids are). */
export const isDesignKey = (id: string): boolean => isSubjectToken(id);
