import { fromPublic, fromSeed } from "@nats-io/nkeys";
import { base64urlDecode, base64urlEncode } from "../base64url";
import { err, fail, ok, type AlchemistError, type Result } from "../errors";

/**
 * Signed commands. Whoever can publish to `cim.deploy.commands.<leaf>` (a hub that is taken
 * over, a leaked hub credential) must still not be able to deploy: an executor runs only a
 * command whose exact bytes carry an Ed25519 signature by a key it trusts. The key is the
 * sender's NATS user nkey (the seed in its creds file), so a person has one identity for the
 * hub and for the leaves.
 */

/** The signer's public user nkey (`U…`). */
export const HEADER_SIGNER = "Alchemist-Signer";
/** base64url (no padding) of the Ed25519 signature over the exact bytes of the message body. */
export const HEADER_SIGNATURE = "Alchemist-Signature";

/** Commands requested further ahead of the leaf's clock than this are refused: clocks drift, but not by more. */
export const COMMAND_FUTURE_SKEW_SECONDS = 300;
export const DEFAULT_COMMAND_MAX_AGE_SECONDS = 86_400;

/** What signs commands on the sending side (the browser, the CLI, tests). */
export interface CommandSigner {
  readonly publicKey: string;
  sign(bytes: Uint8Array): Uint8Array;
}

/** Who signed a command: its key and the name the leaf's trusted list gives it. */
export interface Signer {
  key: string;
  name: string;
}

/** An Ed25519 check against one public key. */
export type SignatureCheck = (body: Uint8Array, signature: Uint8Array) => boolean;
/** Makes the check for a key: nkeys' (pure JS) by default; the executor gives Node's native one. */
export type VerifierFactory = (publicKey: string) => SignatureCheck;

export interface TrustedKey extends Signer {
  verify: SignatureCheck;
}
/** The keys an executor runs commands of, by public key. */
export type TrustList = ReadonlyMap<string, TrustedKey>;

const USER_KEY = /^U[A-Z2-7]{55}$/;
const ED25519_SIGNATURE_BYTES = 64;

/** A well-formed public user nkey: U, 55 more base32 characters, a valid checksum. */
export function isUserPublicKey(key: string): boolean {
  if (!USER_KEY.test(key)) return false;
  try {
    fromPublic(key);
    return true;
  } catch {
    return false;
  }
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The 32 raw bytes of a public user nkey (prefix byte and checksum dropped), for verifiers that take raw keys. */
export function userKeyBytes(key: string): Uint8Array {
  if (!isUserPublicKey(key)) throw new Error(`${key} is not a NATS user public key`);
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of key) {
    value = ((value << 5) | BASE32.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes.slice(1, 33));
}

/** How a key is shown when the trusted list gives it no name. */
export const shortKey = (key: string): string => `${key.slice(0, 8)}…`;

/** A signer from a user nkey seed (`SU…`, as in a .creds file). */
export function signerFromSeed(seed: string | Uint8Array): Result<CommandSigner> {
  try {
    const pair = fromSeed(typeof seed === "string" ? new TextEncoder().encode(seed.trim()) : seed);
    const publicKey = pair.getPublicKey();
    if (!publicKey.startsWith("U")) return fail(err("E_SIGNING_KEY", `the seed is not a user seed (its public key starts with ${publicKey[0]}); commands are signed with a user's seed, SU…`));
    return ok({ publicKey, sign: (bytes) => pair.sign(bytes) });
  } catch {
    return fail(err("E_SIGNING_KEY", "the seed is not a NATS nkey seed (SU… as in the user's .creds file)"));
  }
}

/** The two headers that sign `body`, the exact bytes about to be published. */
export function signatureHeaders(signer: CommandSigner, body: Uint8Array): Record<typeof HEADER_SIGNER | typeof HEADER_SIGNATURE, string> {
  return { [HEADER_SIGNER]: signer.publicKey, [HEADER_SIGNATURE]: base64urlEncode(signer.sign(body)) };
}

export const nkeysVerifier: VerifierFactory = (publicKey) => {
  const pair = fromPublic(publicKey);
  return (body, signature) => {
    try {
      return pair.verify(body, signature);
    } catch {
      return false;
    }
  };
};

export function trustList(entries: readonly Signer[], verifier: VerifierFactory = nkeysVerifier): TrustList {
  return new Map(entries.map((e) => [e.key, { ...e, verify: verifier(e.key) }]));
}

/**
 * Reads trusted-key entries: each `<PUBLIC_KEY> [name…]`, `#` starts a comment, blank entries
 * are skipped. `where(i)` names entry i in a message ("keys.txt line 3"). A key without a
 * name is named by its short form.
 */
export function parseTrustedKeys(entries: readonly string[], where: (index: number) => string): Result<Signer[]> {
  const out: Signer[] = [];
  const seenAt = new Map<string, number>();
  for (const [i, entry] of entries.entries()) {
    const [key, ...name] = entry.replace(/#.*/, "").trim().split(/\s+/).filter(Boolean);
    if (key === undefined) continue;
    if (!isUserPublicKey(key)) {
      const what = /^S[A-Z2-7]{50,}$/.test(key)
        ? "is a seed, which is secret: give the user's public key (U…) instead, and treat this seed as leaked"
        : "is not a NATS user public key (56 characters starting with U, the user's public nkey)";
      return fail(err("E_USAGE", `${where(i)}: "${key.slice(0, 60)}" ${what}; each entry is <PUBLIC_KEY> [name]`));
    }
    const before = seenAt.get(key);
    if (before !== undefined) return fail(err("E_USAGE", `${where(i)}: key ${shortKey(key)} is listed already (${where(before)}); list each key once, with one name`));
    seenAt.set(key, i);
    out.push({ key, name: name.length > 0 ? name.join(" ") : shortKey(key) });
  }
  return ok(out);
}

/**
 * Whether a command's body was signed by a trusted key: who signed it, or why not. The
 * signature of a key that is not trusted is not checked: that command is refused either way.
 */
export function verifyCommandSignature(body: Uint8Array, headers: { signer?: string | null; signature?: string | null }, trusted: TrustList): Result<Signer> {
  const { signer, signature } = headers;
  if (!signer || !signature) {
    const missing = [!signer && HEADER_SIGNER, !signature && HEADER_SIGNATURE].filter(Boolean).join(" and ");
    return fail(err("E_CMD_UNSIGNED", `the command has no ${missing} header: leaves run only commands signed by a key they trust; send it from a logged-in Alchemist (or sign it with the sender's nkey)`));
  }
  const bytes = base64urlDecode(signature);
  if (!bytes || bytes.length !== ED25519_SIGNATURE_BYTES) {
    return fail(err("E_CMD_BAD_SIGNATURE", `the ${HEADER_SIGNATURE} header is not a base64url Ed25519 signature (${ED25519_SIGNATURE_BYTES} bytes); the command was not signed by Alchemist`));
  }
  const key = trusted.get(signer);
  if (!key) {
    if (!isUserPublicKey(signer)) return fail(err("E_CMD_BAD_SIGNATURE", `the ${HEADER_SIGNER} header "${signer.slice(0, 60)}" is not a NATS user public key (U…)`));
    return fail(err("E_CMD_UNTRUSTED_KEY", `the command is signed by ${signer}, which this leaf does not trust; if that user should deploy here, add "${signer} <name>" to the executor's --trusted-keys (ALCHEMIST_TRUSTED_KEYS)`));
  }
  if (!key.verify(body, bytes)) {
    return fail(err("E_CMD_BAD_SIGNATURE", `the signature does not match the command: it was changed after signing, or not signed by ${key.name} (${shortKey(signer)}); the command is refused`));
  }
  return ok({ key: key.key, name: key.name });
}

/** Why a command's requestedAt puts it outside the window this leaf accepts, or null. */
export function requestedAtProblem(requestedAt: string, nowMs: number, maxAgeSeconds: number): AlchemistError | null {
  const ageSeconds = Math.round((nowMs - Date.parse(requestedAt)) / 1000);
  if (ageSeconds > maxAgeSeconds) {
    return err("E_CMD_EXPIRED", `the command was requested at ${requestedAt}, ${ageSeconds} s ago; this leaf takes commands at most ${maxAgeSeconds} s old (--command-max-age): send it again`);
  }
  if (-ageSeconds > COMMAND_FUTURE_SKEW_SECONDS) {
    return err("E_CMD_EXPIRED", `the command's requestedAt ${requestedAt} is ${-ageSeconds} s ahead of this leaf's clock (at most ${COMMAND_FUTURE_SKEW_SECONDS} s are allowed): check the clocks of the sender and the leaf`);
  }
  return null;
}
