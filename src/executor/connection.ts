import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";

export interface ExecutorConnectionOptions {
  servers: string[];
  leafId: string;
}

/**
 * Connects to NATS and keeps trying for ever: an executor on a leaf must survive its server
 * going away and come back by itself, and must be able to start before the server does.
 */
export async function connectExecutor(o: ExecutorConnectionOptions, log: (line: string) => void): Promise<NatsConnection> {
  const nc = await connect({
    servers: o.servers,
    name: `alchemist-executor:${o.leafId}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
  });
  log(`connected to ${nc.getServer()} as leaf "${o.leafId}"`);
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnect") log(`${s.type}: ${s.server}`);
      else if (s.type === "error") log(`error: ${s.error.message}`);
    }
  })();
  return nc;
}
