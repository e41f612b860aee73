import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { inboxPrefixOf } from "../../core/protocol";
import type { Identity } from "../auth/authority";

/** A connection as the stack's admin identity: the only one its hub lets make and fill the stores. */
export const connectAsAdmin = (servers: readonly string[], admin: Identity, name: string): Promise<NatsConnection> =>
  connect({ servers: [...servers], name, authenticator: credsAuthenticator(new TextEncoder().encode(admin.creds)), inboxPrefix: inboxPrefixOf(admin.name) });
