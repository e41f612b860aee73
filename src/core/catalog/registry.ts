import type { Kind, PaletteGroup } from "./kind";
import { agentContainer } from "./kinds/agent-container";
import { agentDomain } from "./kinds/agent-domain";
import { agentService } from "./kinds/agent-service";
import { backup } from "./kinds/backup";
import { baseSystem } from "./kinds/base-system";
import { cimInstance } from "./kinds/cim-instance";
import { customService } from "./kinds/custom-service";
import { firewall } from "./kinds/firewall";
import { graphDomain } from "./kinds/graph-domain";
import { hardware } from "./kinds/hardware";
import { monitoring } from "./kinds/monitoring";
import { natsHub } from "./kinds/nats-hub";
import { natsLeaf } from "./kinds/nats-leaf";
import { neo4j } from "./kinds/neo4j";
import { network } from "./kinds/network";
import { nixImport } from "./kinds/nix-import";
import { ollama } from "./kinds/ollama";
import { postgresql } from "./kinds/postgresql";
import { qdrant } from "./kinds/qdrant";
import { redis } from "./kinds/redis";
import { secrets } from "./kinds/secrets";
import { security } from "./kinds/security";
import { tls } from "./kinds/tls";
import { workflowDomain } from "./kinds/workflow-domain";

/** Every kind, in palette order within each group. */
export const KINDS: readonly Kind[] = [
  cimInstance,
  baseSystem,
  hardware,
  network,
  natsHub,
  natsLeaf,
  graphDomain,
  workflowDomain,
  agentDomain,
  agentService,
  agentContainer,
  customService,
  neo4j,
  ollama,
  postgresql,
  redis,
  qdrant,
  backup,
  monitoring,
  firewall,
  security,
  tls,
  secrets,
  nixImport,
];

export const PALETTE_GROUPS: readonly PaletteGroup[] = ["Hosts", "Messaging", "Domains", "Data", "Observability", "Security", "Imports"];

const BY_NAME: ReadonlyMap<string, Kind> = new Map(KINDS.map((k) => [k.kind, k]));

export const kindOf = (name: string): Kind | undefined => BY_NAME.get(name);
