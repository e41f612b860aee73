/**
 * The browser's login to a hub. The credentials live in localStorage under one key and nowhere
 * else: not in the store (so never in a design, an export or the undo history), not in a log
 * line, and not in the address bar after a login link was opened. This module has no NATS
 * client in it, so the first render can read the login without loading the client.
 */

import { base64urlText } from "../../core/base64url";
import { parseCreds } from "../../core/protocol/creds";

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
const listeners = new Set<() => void>();

/**
 * Takes `#login=<base64url of a .creds file>` out of the address bar before anything else runs
 * (main.tsx calls it before the first render), keeping the creds in memory until the hub they
 * belong to is known. The fragment never reached a server; after this it is in no URL either.
 */
export function captureLoginLink(loc: Location = location, hist: History = history): void {
  if (!loc.hash.startsWith("#login=")) return;
  const encoded = loc.hash.slice("#login=".length);
  hist.replaceState(hist.state, "", loc.pathname + loc.search);
  // An empty result marks a link that was cut or mangled, so the app can say so.
  pending = (/^[A-Za-z0-9_-]+$/.test(encoded) && base64urlText(encoded)) || "";
  for (const listener of listeners) listener();
}

/**
 * Calls `listener` for each login link captured from now on: one opened in a tab that already
 * shows the app changes only the fragment, so the page does not load again. Returns the undo.
 */
export function onLoginLink(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The creds of the login link this page was opened with, once. */
export function takeLoginLink(): string | undefined {
  const p = pending;
  pending = undefined;
  return p;
}
