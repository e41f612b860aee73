/**
 * The browser's login to a hub. The credentials live in localStorage under one key and nowhere
 * else: not in the store (so never in a design, an export or the undo history), not in a log
 * line, and not in the address bar after a login link was opened. This module has no NATS
 * client in it, so the first render can read the login without loading the client.
 */

export type HubCredentials =
  /** The text of a NATS `.creds` file: the user JWT and its nkey seed. */
  | { kind: "creds"; creds: string }
  | { kind: "user"; user: string; pass: string }
  | { kind: "token"; token: string };

/** Credentials and the hub (WebSocket URL) they were given for: they are sent to that hub only. */
export interface StoredLogin {
  hub: string;
  credentials: HubCredentials;
}

export const LOGIN_STORAGE_KEY = "alchemist.hubLogin";

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

function base64UrlText(s: string): string {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  return atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
}

/** Reads a `.creds` file's JWT and seed the way NATS writes them (two dashed blocks). */
export function parseCreds(text: string): Parsed<ParsedCreds> {
  const blocks = [...text.matchAll(BLOCK)].map((m) => m[1]!);
  const [jwt, seed] = blocks;
  if (!jwt || !seed) return { ok: false, message: "this is not a NATS .creds file (it needs a USER JWT block and an NKEY SEED block)" };
  if (!seed.startsWith("SU")) return { ok: false, message: "the .creds file holds no user seed (an nkey seed starting with SU)" };
  let claims: { name?: unknown; sub?: unknown; nats?: { sub?: { allow?: unknown } } };
  try {
    claims = JSON.parse(base64UrlText(jwt.split(".")[1] ?? "")) as typeof claims;
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

/** Who the credentials log in as, for the indicator ("browser", "alice"); undefined for a token. */
export function loginName(c: HubCredentials): string | undefined {
  if (c.kind === "user") return c.user;
  if (c.kind === "creds") {
    const p = parseCreds(c.creds);
    return p.ok ? p.value.name : undefined;
  }
  return undefined;
}

/**
 * The nkey seed commands are signed with: a creds login's own user key. The one place the
 * deploy layer gets its signer from (the others carry no key and cannot sign).
 */
export function signerSeed(c: HubCredentials): string | undefined {
  if (c.kind !== "creds") return undefined;
  const p = parseCreds(c.creds);
  return p.ok ? p.value.seed : undefined;
}

function isLogin(v: unknown): v is StoredLogin {
  if (typeof v !== "object" || v === null) return false;
  const { hub, credentials: c } = v as Partial<StoredLogin>;
  if (typeof hub !== "string" || typeof c !== "object" || c === null) return false;
  switch (c.kind) {
    case "creds":
      return typeof c.creds === "string";
    case "user":
      return typeof c.user === "string" && typeof c.pass === "string";
    case "token":
      return typeof c.token === "string";
    default:
      return false;
  }
}

export function loadLogin(storage: Storage = localStorage): StoredLogin | null {
  try {
    const v: unknown = JSON.parse(storage.getItem(LOGIN_STORAGE_KEY) ?? "null");
    return isLogin(v) ? v : null;
  } catch {
    return null;
  }
}

export function saveLogin(login: StoredLogin, storage: Storage = localStorage): void {
  storage.setItem(LOGIN_STORAGE_KEY, JSON.stringify(login));
}

export function clearLogin(storage: Storage = localStorage): void {
  storage.removeItem(LOGIN_STORAGE_KEY);
}

/** The credentials to send to `hub`: only the ones given for it. */
export const credentialsFor = (login: StoredLogin | null, hub: string): HubCredentials | undefined => (login && login.hub === hub ? login.credentials : undefined);

let pending: string | undefined;

/**
 * Takes `#login=<base64url of a .creds file>` out of the address bar before anything else runs
 * (main.tsx calls it before the first render), keeping the creds in memory until the hub they
 * belong to is known. The fragment never reached a server; after this it is in no URL either.
 */
export function captureLoginLink(loc: Location = location, hist: History = history): void {
  if (!loc.hash.startsWith("#login=")) return;
  const encoded = loc.hash.slice("#login=".length);
  hist.replaceState(hist.state, "", loc.pathname + loc.search);
  try {
    // An empty result marks a link that was cut or mangled, so the app can say so.
    pending = /^[A-Za-z0-9_-]+$/.test(encoded) ? base64UrlText(encoded) : "";
  } catch {
    pending = "";
  }
}

/** The creds of the login link this page was opened with, once. */
export function takeLoginLink(): string | undefined {
  const p = pending;
  pending = undefined;
  return p;
}
