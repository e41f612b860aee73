import { credsAuthenticator, errors, wsconnect, type ConnectionOptions, type NatsConnection } from "@nats-io/nats-core";
import { DeployClient } from "../../client/deployClient";
import { DesignStore } from "../../client/designStore";
import { startDesignSync } from "./designSync";
import { createDeployRuntime, type DeployRuntime } from "./runtime";
import { messageOf } from "../../core/errors";
import { inboxPrefixOf, signerFromSeed, type CommandSigner } from "../../core/protocol";
import { loginName, signerSeed, type HubCredentials } from "./credentials";
import { grantedInboxPrefix, parseCreds } from "../../core/protocol/creds";
import type { StoreApi } from "zustand";
import type { AppState, HubState, HubStatus } from "../store/state";

/** nats.js options for a login; each identity reads replies on its own inbox prefix. */
function loginOptions(c: HubCredentials | undefined): Partial<ConnectionOptions> {
  switch (c?.kind) {
    case undefined:
      return {};
    case "creds": {
      const parsed = parseCreds(c.creds);
      const inboxPrefix = parsed.ok ? grantedInboxPrefix(parsed.value.subscribe, inboxPrefixOf(parsed.value.name)) : undefined;
      return { authenticator: credsAuthenticator(new TextEncoder().encode(c.creds)), ...(inboxPrefix ? { inboxPrefix } : {}) };
    }
    case "user":
      return { user: c.user, pass: c.pass, inboxPrefix: inboxPrefixOf(c.user) };
    case "token":
      return { token: c.token };
  }
}

const isAuthError = (e: unknown) => e instanceof errors.AuthorizationError || e instanceof errors.UserAuthenticationExpiredError;

/** After this long without a connection the hub is shown offline (the client keeps trying). */
export const OFFLINE_AFTER_MS = 10_000;

/**
 * One live connection to the hub over WebSocket, to any of its members. It retries for ever, so
 * a hub that goes away and comes back (or a member that dies, while another answers) is picked
 * up without a page reload; every state change is reported.
 * Returns a function that closes the connection for good.
 */
export function openHubConnection(
  servers: readonly string[],
  credentials: HubCredentials | undefined,
  report: (s: HubStatus) => void,
  onConnection?: (nc: NatsConnection | undefined) => void,
): () => void {
  let closed = false;
  let nc: NatsConnection | undefined;
  let offlineTimer: ReturnType<typeof setTimeout> | undefined;
  let current: HubState = "connecting";
  let lastError: unknown;
  // The hub is named by its first member (the URL the login belongs to); the others are where it fails over.
  const url = servers[0] ?? "";
  const identity = credentials && loginName(credentials);
  const who = { loggedIn: credentials !== undefined, ...(identity ? { identity } : {}) };

  const set = (state: HubState, detail?: string) => {
    current = state;
    report({ state, url, ...who, ...(detail ? { detail } : {}) });
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
    servers: [...servers],
    name: "alchemist-web",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
    ignoreClusterUpdates: true,
    ...loginOptions(credentials),
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
          lastError = s.error;
          if (current !== "connected") set(current, s.error.message);
        }
      }
      if (!closed) {
        onConnection?.(undefined);
        clearTimeout(offlineTimer);
        // nats.js gives up after the hub refused the login twice (its keys were replaced).
        if (isAuthError(lastError)) set("unauthorized", messageOf(lastError));
        else set("offline", "the connection was closed");
      }
    },
    (e: unknown) => {
      if (closed) return;
      clearTimeout(offlineTimer);
      if (isAuthError(e)) set("unauthorized", messageOf(e));
      else set("offline", messageOf(e));
    },
  );

  return () => {
    closed = true;
    clearTimeout(offlineTimer);
    onConnection?.(undefined);
    void nc?.close();
  };
}

/** What the page works through on one connection: the deploy runtime and the hub's design store. */
export interface HubLink {
  runtime: DeployRuntime;
  designs: DesignStore;
}

/**
 * The page's hub connection with a deploy runtime and a design store on it, both new on each
 * connection and handed to `onLink` (and null when the connection ends, once the runtime it had
 * is disposed and the design sync stopped); `signer` signs the commands and design saves it
 * sends. The app loads this module with a dynamic import: it is what brings in the NATS
 * client, and the first render need not wait for it.
 */
export function connectHub(servers: readonly string[], credentials: HubCredentials | undefined, store: StoreApi<AppState>, onLink: (link: HubLink | null) => void): () => void {
  const signer = commandSigner(credentials);
  const identity = credentials && loginName(credentials);
  let link: HubLink | null = null;
  let stopSync: (() => void) | undefined;
  return openHubConnection(servers, credentials, store.getState().setHubStatus, (nc) => {
    stopSync?.();
    link?.runtime.dispose();
    link = nc ? { runtime: createDeployRuntime(new DeployClient(nc, undefined, signer), store), designs: new DesignStore(nc, undefined, signer, identity) } : null;
    stopSync = link ? startDesignSync(link.designs, store, identity) : undefined;
    onLink(link);
  });
}

/**
 * A creds login signs commands with its own nkey. Other logins (user and password, a token)
 * have no key: their commands go unsigned and every leaf rejects them with E_CMD_UNSIGNED.
 */
function commandSigner(credentials: HubCredentials | undefined): CommandSigner | undefined {
  const seed = credentials && signerSeed(credentials);
  if (!seed) return undefined;
  const signer = signerFromSeed(seed);
  return signer.ok ? signer.value : undefined;
}
