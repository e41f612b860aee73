import { chmodSync } from "node:fs";
import { join } from "node:path";
import { AlchemistFailure, err } from "../../core/errors";
import { identityName, type Role } from "../../core/protocol";
import { makeDirs } from "../dirs";
import { ensureIdentity, loadAuthority, type Authority, type Identity } from "./authority";

/**
 * Where a state folder keeps its NATS trust: `auth/` the authority (operator, account and
 * system seeds), `creds/` one `.creds` file per identity made from it. Both folders are the
 * owner's alone (0700), every file in them 0600: a seed is a login.
 */
export const authDirOf = (stateDir: string) => join(stateDir, "auth");
export const credsDirOf = (stateDir: string) => join(stateDir, "creds");
export const credsPathOf = (stateDir: string, role: Role) => join(credsDirOf(stateDir), `${identityName(role)}.creds`);

/** The identity of `role` in `<state>/creds/`, reused or (re)made by ensureIdentity. */
export async function stateIdentity(stateDir: string, authority: Authority, role: Role): Promise<{ identity: Identity; path: string; changed: boolean }> {
  const dir = credsDirOf(stateDir);
  makeDirs(dir);
  chmodSync(dir, 0o700);
  const path = credsPathOf(stateDir, role);
  return { path, ...(await ensureIdentity(authority, role, path)) };
}

/** The authority `alchemist up` made in a state folder; an E_AUTH_MISSING failure when there is none. */
export function requireAuthority(stateDir: string): Authority {
  const authority = loadAuthority(authDirOf(stateDir));
  if (!authority) {
    throw new AlchemistFailure(err("E_AUTH_MISSING", `${stateDir} holds no NATS authority (auth/authority.json); run alchemist up --state-dir ${stateDir} once to make one, or name the state folder of your hub with --state-dir`));
  }
  return authority;
}

/**
 * The link that logs a browser in: the creds ride in the URL fragment, which the browser never
 * sends to a server; the app reads it, stores it and removes it from the address bar.
 */
export const loginLink = (appUrl: string, identity: Identity) => `${new URL("/", appUrl).href}#login=${Buffer.from(identity.creds).toString("base64url")}`;
