import { base64urlText } from "../base64url";

/**
 * A NATS `.creds` file as the operator's tools read it: the browser's login and
 * `alchemist deploy` both log in with one and sign commands with its key.
 */

/** What a `.creds` file says about who it logs in as. */
export interface ParsedCreds {
  jwt: string;
  seed: string;
  /** The user JWT's `name` claim: the identity's name, the token of its inbox prefix. */
  name: string;
  /** The user's public nkey (`sub` claim), the key its signatures are checked with. */
  publicKey: string;
  /** The subjects the JWT allows it to subscribe to, when it limits them. */
  subscribe: string[] | undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const BLOCK = /-{3,}[^\n]*-{3,}\s*\n\s*(\S+)\s*\n\s*-{3,}[^\n]*-{3,}/g;


/** Reads a `.creds` file's JWT and seed the way NATS writes them (two dashed blocks). */
export function parseCreds(text: string): Parsed<ParsedCreds> {
  const blocks = [...text.matchAll(BLOCK)].map((m) => m[1]!);
  const [jwt, seed] = blocks;
  if (!jwt || !seed) return { ok: false, message: "this is not a NATS .creds file (it needs a USER JWT block and an NKEY SEED block)" };
  if (!seed.startsWith("SU")) return { ok: false, message: "the .creds file holds no user seed (an nkey seed starting with SU)" };
  let claims: { name?: unknown; sub?: unknown; nats?: { sub?: { allow?: unknown } } };
  try {
    claims = JSON.parse(base64urlText(jwt.split(".")[1] ?? "") ?? "") as typeof claims;
  } catch {
    return { ok: false, message: "the JWT in the .creds file cannot be read" };
  }
  if (typeof claims.name !== "string" || typeof claims.sub !== "string") return { ok: false, message: "the JWT in the .creds file has no user name or key" };
  const allow = claims.nats?.sub?.allow;
  return {
    ok: true,
    value: { jwt, seed, name: claims.name, publicKey: claims.sub, subscribe: Array.isArray(allow) ? allow.filter((s): s is string => typeof s === "string") : undefined },
  };
}

/**
 * The inbox prefix to use: the one the credentials grant (`_INBOX….>` in the subscribe list),
 * so replies arrive where the hub lets this identity read them; with no limit, the identity's own.
 */
export function grantedInboxPrefix(subscribe: readonly string[] | undefined, ownPrefix: string): string {
  if (!subscribe || subscribe.includes(">") || subscribe.includes(`${ownPrefix}.>`)) return ownPrefix;
  const granted = subscribe.map((s) => /^(_INBOX[^.*>]*)\.>$/.exec(s)?.[1]).find((p) => p !== undefined);
  return granted ?? ownPrefix;
}
