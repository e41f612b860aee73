import { readFileSync } from "node:fs";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type ConnectionOptions, type NatsConnection } from "@nats-io/nats-core";
import { AlchemistFailure, err, messageOf } from "../core/errors";
import { identityName, inboxPrefixOf } from "../core/protocol";
import type { NatsAuth } from "./config";

export interface ExecutorConnectionOptions {
  servers: string[];
  leafId: string;
  auth?: NatsAuth;
}

function authOptions(auth: NatsAuth | undefined): Partial<ConnectionOptions> {
  if (!auth) return {};
  const o: Partial<ConnectionOptions> = {};
  if (auth.user) Object.assign(o, { user: auth.user, pass: auth.password });
  if (auth.token) o.token = auth.token;
  if (auth.credsFile) {
    try {
      o.authenticator = credsAuthenticator(new Uint8Array(readFileSync(auth.credsFile)));
    } catch (e) {
      throw new AlchemistFailure(err("E_USAGE", `cannot read the NATS creds file ${auth.credsFile}: ${(e as NodeJS.ErrnoException).code ?? messageOf(e)}`));
    }
  }
  if (auth.tlsCaFile) o.tls = { caFile: auth.tlsCaFile };
  return o;
}

/**
 * Connects to NATS and keeps trying for ever: an executor on a leaf must survive its server
 * going away and come back by itself, and must be able to start before the server does.
 */
export async function connectExecutor(o: ExecutorConnectionOptions, log: (line: string) => void): Promise<NatsConnection> {
  log(`connecting to ${o.servers.join(", ")} as leaf "${o.leafId}"…`);
  // Until the first connection the client reports nothing: say at least that we are still trying.
  const waiting = setInterval(() => log(`still trying to reach ${o.servers.join(", ")} (is the server up, the URL right, the certificate trusted?)`), 10_000);
  const nc = await connect({
    servers: o.servers,
    name: `alchemist-executor:${o.leafId}`,
    // Replies come on this identity's own inbox prefix, the only inbox its permissions (and its leaf server's) let it read.
    inboxPrefix: inboxPrefixOf(identityName({ role: "executor", leafId: o.leafId })),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
    ...authOptions(o.auth),
  }).finally(() => clearInterval(waiting));
  log(`connected to ${nc.getServer()} as leaf "${o.leafId}"`);
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnect") log(`${s.type}: ${s.server}`);
      else if (s.type === "error") log(`error: ${s.error.message}`);
    }
  })().catch((e: unknown) => log(`connection status: ${messageOf(e)}`));
  return nc;
}
