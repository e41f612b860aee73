import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeAccount, encodeOperator, encodeUser, fmtCreds, parseCreds, type User } from "@nats-io/jwt";
import { createAccount, createOperator, createUser, fromSeed } from "@nats-io/nkeys";
import { AlchemistFailure, err, messageOf } from "../../core/errors";
import { identityName, permissionsFor, type Role } from "../../core/protocol";
import { makeDirs } from "../dirs";

/**
 * The NATS trust chain of one hub, in NATS's decentralized auth: an operator signs the CIM
 * account (and the system account the server needs), and the account's key signs one user JWT
 * per identity. Whoever holds the account seed can add a leaf or a person without restarting
 * the hub; the hub itself only ever sees public JWTs.
 */
export interface Authority {
  operator: { seed: string; publicKey: string; jwt: string };
  /** `revocations`: user public key → the time (Unix seconds) before which its JWTs no longer count. */
  account: { seed: string; publicKey: string; jwt: string; revocations?: Record<string, number> };
  system: { seed: string; publicKey: string; jwt: string };
}

/** One identity's credentials: `creds` is the text of a NATS `.creds` file (JWT + seed). */
export interface Identity {
  name: string;
  publicKey: string;
  seed: string;
  jwt: string;
  creds: string;
}

const UNLIMITED = { conn: -1, subs: -1, data: -1, payload: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
const text = (b: Uint8Array) => new TextDecoder().decode(b);

const JETSTREAM = { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 };
const seedKey = (seed: string) => fromSeed(new TextEncoder().encode(seed));

/** The CIM account's JWT, signed by the operator; revoked users' JWTs are refused by the hub. */
function cimAccountJwt(operatorSeed: string, accountSeed: string, revocations: Record<string, number>): Promise<string> {
  const claims = { limits: { ...UNLIMITED, ...JETSTREAM }, ...(Object.keys(revocations).length ? { revocations } : {}) };
  return encodeAccount("CIM", seedKey(accountSeed), claims, { signer: seedKey(operatorSeed) });
}

export async function createAuthority(): Promise<Authority> {
  const operator = createOperator();
  const account = createAccount();
  const system = createAccount();
  return {
    operator: {
      seed: text(operator.getSeed()),
      publicKey: operator.getPublicKey(),
      jwt: await encodeOperator("alchemist", operator, { system_account: system.getPublicKey() }),
    },
    account: {
      seed: text(account.getSeed()),
      publicKey: account.getPublicKey(),
      jwt: await cimAccountJwt(text(operator.getSeed()), text(account.getSeed()), {}),
    },
    system: {
      seed: text(system.getSeed()),
      publicKey: system.getPublicKey(),
      jwt: await encodeAccount("SYS", system, { limits: UNLIMITED }, { signer: operator }),
    },
  };
}

const AUTHORITY_FILE = "authority.json";

/** Reads `<dir>/authority.json`; undefined when there is none. */
export function loadAuthority(dir: string): Authority | undefined {
  const path = join(dir, AUTHORITY_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const a = JSON.parse(readFileSync(path, "utf8")) as Authority;
    fromSeed(new TextEncoder().encode(a.account.seed));
    return a;
  } catch (e) {
    throw new AlchemistFailure(err("E_AUTH_STATE", `${path} is not a readable Alchemist authority (${messageOf(e)}); restore it from a backup, or move it away to make a new one (every creds file made from it stops working)`));
  }
}

/** Reads `<dir>/authority.json`, or makes a new authority there (0600, in a 0700 folder). */
export async function loadOrCreateAuthority(dir: string): Promise<{ authority: Authority; created: boolean }> {
  const found = loadAuthority(dir);
  if (found) return { authority: found, created: false };
  makeDirs(dir);
  chmodSync(dir, 0o700);
  const authority = await createAuthority();
  saveAuthority(dir, authority);
  return { authority, created: true };
}

function saveAuthority(dir: string, a: Authority): void {
  writeFileSync(join(dir, AUTHORITY_FILE), JSON.stringify(a, null, 2) + "\n", { mode: 0o600 });
}

export const isRevoked = (a: Authority, userKey: string) => a.account.revocations?.[userKey] !== undefined;

/**
 * Revokes every JWT issued so far for a user key: the account JWT is signed again with the
 * key in its revocation list and stored. A hub refuses the key once it runs with that account
 * JWT (`alchemist up` writes it at every start; a NixOS hub takes it from `creds --hub-nix`).
 */
export async function revokeUser(dir: string, a: Authority, userKey: string): Promise<Authority> {
  // NATS compares with the JWT's issue time in whole seconds: one second on, nothing issued now survives.
  const revocations = { ...a.account.revocations, [userKey]: Math.floor(Date.now() / 1000) + 1 };
  const next: Authority = { ...a, account: { ...a.account, revocations, jwt: await cimAccountJwt(a.operator.seed, a.account.seed, revocations) } };
  saveAuthority(dir, next);
  return next;
}

/**
 * A user of the CIM account with exactly the permissions of its role. With `seed`, the JWT is
 * issued for that existing user key (same public key, new claims) instead of a new one.
 */
export async function issueIdentity(a: Authority, role: Role, domain = "hub", seed?: string): Promise<Identity> {
  const user = seed ? fromSeed(new TextEncoder().encode(seed)) : createUser();
  const account = fromSeed(new TextEncoder().encode(a.account.seed));
  const name = identityName(role);
  const p = permissionsFor(role, domain);
  const jwt = await encodeUser(name, user, account, { pub: { allow: p.publish }, sub: { allow: p.subscribe } });
  return { name, publicKey: user.getPublicKey(), seed: text(user.getSeed()), jwt, creds: text(fmtCreds(jwt, user)) };
}

/** Writes a `.creds` file readable by its owner only. */
function writeCreds(path: string, identity: Identity): void {
  writeFileSync(path, identity.creds, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The identity in a `.creds` file, or undefined when the file is missing or not a creds file. */
export async function readCreds(path: string): Promise<{ identity: Identity; issuer: string; claims: Partial<User> } | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const creds = readFileSync(path, "utf8");
    const { key, jwt, uc } = await parseCreds(new TextEncoder().encode(creds));
    return { identity: { name: uc.name, publicKey: uc.sub, seed: key, jwt, creds }, issuer: uc.iss, claims: uc.nats };
  } catch {
    return undefined;
  }
}

const sameList = (a: readonly string[] | undefined, b: readonly string[]) => JSON.stringify(a ?? []) === JSON.stringify(b);

/**
 * The identity of a role kept in `path`: reused while it is this account's user of that name
 * with exactly the permissions of its role; otherwise issued again (with the same user key when
 * the old file still holds one, so keys others trust — the browser's signing key — stay the same)
 * and written. `changed` says whether the file was (re)written.
 */
export async function ensureIdentity(a: Authority, role: Role, path: string, domain = "hub"): Promise<{ identity: Identity; changed: boolean }> {
  const found = await readCreds(path);
  if (found) {
    const p = permissionsFor(role, domain);
    const current =
      found.issuer === a.account.publicKey &&
      !isRevoked(a, found.identity.publicKey) &&
      found.identity.name === identityName(role) &&
      sameList(found.claims.pub?.allow, p.publish) &&
      sameList(found.claims.sub?.allow, p.subscribe);
    if (current) return { identity: found.identity, changed: false };
  }
  // A revoked key is never issued again: its holder gets a new one.
  const keep = found && !isRevoked(a, found.identity.publicKey) ? found.identity.seed : undefined;
  const identity = await issueIdentity(a, role, domain, keep);
  writeCreds(path, identity);
  return { identity, changed: true };
}

/** The lines of a nats-server configuration that make it trust this authority and nothing else. */
export function hubTrustConfig(a: Authority): string {
  return [
    // A user JWT carries its permission lists and travels in the CONNECT line: the 4 KB default is too small.
    "max_control_line: 64KB",
    `operator: ${a.operator.jwt}`,
    `system_account: ${a.system.publicKey}`,
    "resolver: MEMORY",
    `resolver_preload: {`,
    `  ${a.account.publicKey}: ${a.account.jwt}`,
    `  ${a.system.publicKey}: ${a.system.jwt}`,
    `}`,
  ].join("\n");
}
