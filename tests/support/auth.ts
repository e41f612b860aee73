import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { createAuthority, hubTrustConfig, issueIdentity, type Authority, type Identity } from "../../src/cli/auth/authority";
import { ensureDeployStores } from "../../src/executor/jetstreamSetup";
import { DEFAULT_STORE_LIMITS, identityName, inboxPrefixOf, type Role, type StoreLimits } from "../../src/core/protocol";
import { afterAll, beforeAll } from "vitest";
import { Topology, type NatsServerProc } from "./deployTopology";

/**
 * The deploy topology with authentication on, as `alchemist up` runs it: a hub in operator
 * mode (decentralized JWT auth, `hubTrustConfig`) trusting a fresh authority, the streams and
 * buckets made by the admin with their limits (`ensureDeployStores`), and every identity
 * issued by `issueIdentity` with exactly its role's permissions. The Topology's own client is
 * the admin.
 */
export class SecureTopology {
  private readonly issued = new Map<string, Identity>();

  private constructor(
    readonly t: Topology,
    readonly authority: Authority,
  ) {}

  /** `limits: null` leaves the hub without the stores, as before an admin has made them. */
  static async start(limits: StoreLimits | null = DEFAULT_STORE_LIMITS): Promise<SecureTopology> {
    const authority = await createAuthority();
    const admin = await issueIdentity(authority, { role: "admin" });
    const t = await Topology.start({ authorization: hubTrustConfig(authority), client: { authenticator: credsAuthenticator(new TextEncoder().encode(admin.creds)) } });
    const s = new SecureTopology(t, authority);
    s.issued.set(admin.name, admin);
    if (limits) await ensureDeployStores(t.nc, "hub", limits);
    return s;
  }

  /** The identity of a role, issued once per name. */
  async identity(role: Role): Promise<Identity> {
    const name = identityName(role);
    let id = this.issued.get(name);
    if (!id) {
      id = await issueIdentity(this.authority, role);
      this.issued.set(name, id);
    }
    return id;
  }

  /** The identity's .creds file, in the topology's folder. */
  async credsFile(role: Role): Promise<string> {
    const id = await this.identity(role);
    const path = join(this.t.dir, `${id.name}.creds`);
    writeFileSync(path, id.creds, { mode: 0o600 });
    return path;
  }

  /**
   * A client logged in as the role's identity (on the hub unless `port` names another server),
   * replies on the identity's own inbox prefix unless `inboxPrefix` says otherwise.
   */
  async connectAs(role: Role, opts: { port?: number; inboxPrefix?: string } = {}): Promise<NatsConnection> {
    const id = await this.identity(role);
    return connect({
      servers: `nats://127.0.0.1:${opts.port ?? this.t.hub.port}`,
      name: `test:${id.name}`,
      authenticator: credsAuthenticator(new TextEncoder().encode(id.creds)),
      inboxPrefix: opts.inboxPrefix ?? inboxPrefixOf(id.name),
    });
  }

  /** A leaf server whose leafnode connection logs in as `leaf-<leafId>`; its own clients need no credentials. */
  async addLeaf(leafId: string): Promise<NatsServerProc> {
    return this.t.addLeaf(leafId, await this.credsFile({ role: "leaf-server", leafId }));
  }

  stop(): Promise<void> {
    return this.t.stop();
  }
}

/** A SecureTopology of its own for the enclosing describe: started before its tests, stopped after. */
export function securePerSuite(limits?: StoreLimits | null): () => SecureTopology {
  let s: SecureTopology | undefined;
  beforeAll(async () => {
    s = await SecureTopology.start(limits);
  });
  afterAll(async () => {
    await s?.stop();
  });
  return () => s!;
}
