import type { BuildsOn } from "./kind";

/**
 * The usual answers to "what may this kind build on?", named once so each kind module can
 * state its own with one word. A kind with a rule of its own writes it out in its module.
 */

/** The NATS servers of a host: what its messaging clients connect to. */
export const NATS_SERVERS: readonly string[] = ["nats-hub", "nats-leaf"];

/** Databases and model servers: what domains and agents keep data in or ask. */
export const DATA_STORES: readonly string[] = ["neo4j", "ollama", "postgresql", "qdrant", "redis"];

/** A server that uses nothing else of its host: only settings shape it. */
export const SETTINGS_ONLY: BuildsOn = { roles: ["setting"] };

/** What watches, keeps or opens the host's services (monitoring, backup, firewall, the host itself). */
export const SETTINGS_AND_SERVICES: BuildsOn = { roles: ["setting", "service"] };

/** A client of the host's NATS server and data stores: the CIM domains and agents. */
export const NATS_AND_DATA_CLIENT: BuildsOn = { roles: ["setting"], kinds: [...NATS_SERVERS, ...DATA_STORES] };
