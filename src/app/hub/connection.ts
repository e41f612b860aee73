import { wsconnect, type NatsConnection } from "@nats-io/nats-core";
import { DeployClient } from "../deploy/client";
import { attachHub } from "../deploy/runtime";
import { messageOf } from "../../core/errors";
import type { CommandSigner } from "../../core/protocol";

export type HubState = "connecting" | "connected" | "reconnecting" | "offline";

export interface HubStatus {
  state: HubState;
  url: string;
  /** The last error the client reported, for the indicator's tooltip. */
  detail?: string;
}

/** After this long without a connection the hub is shown offline (the client keeps trying). */
export const OFFLINE_AFTER_MS = 10_000;

/**
 * One live connection to the hub over WebSocket. It retries for ever, so a hub that goes
 * away and comes back is picked up without a page reload; every state change is reported.
 * Returns a function that closes the connection for good.
 */
export function openHubConnection(url: string, report: (s: HubStatus) => void, onConnection?: (nc: NatsConnection | undefined) => void): () => void {
  let closed = false;
  let nc: NatsConnection | undefined;
  let offlineTimer: ReturnType<typeof setTimeout> | undefined;
  let current: HubState = "connecting";

  const set = (state: HubState, detail?: string) => {
    current = state;
    report({ state, url, ...(detail ? { detail } : {}) });
  };
  const armOffline = () => {
    clearTimeout(offlineTimer);
    offlineTimer = setTimeout(() => {
      if (!closed && current !== "connected") set("offline", "no answer from the hub; still retrying");
    }, OFFLINE_AFTER_MS);
  };

  set("connecting");
  armOffline();
  wsconnect({
    servers: url,
    name: "alchemist-web",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
    ignoreClusterUpdates: true,
  }).then(
    async (conn) => {
      if (closed) {
        await conn.close();
        return;
      }
      nc = conn;
      onConnection?.(conn);
      clearTimeout(offlineTimer);
      set("connected");
      for await (const s of conn.status()) {
        if (closed) break;
        if (s.type === "disconnect") {
          // Every failed reconnect attempt reports another disconnect; the offline clock
          // starts at the first one.
          if (current !== "connected") continue;
          set("reconnecting");
          armOffline();
        } else if (s.type === "reconnect") {
          clearTimeout(offlineTimer);
          set("connected");
        } else if (s.type === "error") {
          if (current !== "connected") set(current, s.error.message);
        }
      }
      if (!closed) {
        onConnection?.(undefined);
        set("offline", "the connection was closed");
      }
    },
    (e: unknown) => {
      if (!closed) set("offline", messageOf(e));
    },
  );

  return () => {
    closed = true;
    clearTimeout(offlineTimer);
    onConnection?.(undefined);
    void nc?.close();
  };
}

/**
 * The page's hub connection with the deploy layer on it; `signer` signs the commands it sends.
 * The app loads this module with a dynamic import: it is what brings in the NATS client, and
 * the first render need not wait for it.
 */
export const connectHub = (url: string, report: (s: HubStatus) => void, signer?: CommandSigner): (() => void) =>
  openHubConnection(url, report, (nc) => attachHub(nc && new DeployClient(nc, undefined, signer)));
