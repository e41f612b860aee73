import { loadDesignShape } from "../../core/design/load";
import type { Design } from "../../core/design/types";
import agentService from "../../../templates/agent-service.json";
import alchemistClient from "../../../templates/alchemist-client.json";
import highPerformance from "../../../templates/high-performance.json";
import leafAgent from "../../../templates/leaf-agent.json";
import minimal from "../../../templates/minimal.json";
import production from "../../../templates/production.json";

export interface Template {
  readonly design: Design;
  readonly blurb: string;
}

const entry = (doc: unknown, blurb: string): Template => ({ design: loadDesignShape(doc).design!, blurb });

/** The six starting points of the catalog, as the gallery and the empty state offer them. */
export const TEMPLATES: readonly Template[] = [
  entry(minimal, "A NATS leaf, a graph domain and one host: the smallest CIM that compiles. Its Hardware node is a placeholder: give it the machine's disks."),
  entry(production, "cim-prod-001: hardware import, network, security, TLS, secrets, NATS leaf with users, three domains, monitoring, backup, firewall."),
  entry(highPerformance, "RocksDB graph with a 64GB cache and parallelism 32, GPU agents with up to 1000 agents, Ollama on CUDA (NVIDIA driver). Placeholder hardware to replace."),
  entry(alchemistClient, "A NATS hub with a leaf port, Neo4j, Ollama with llama3 and codellama, and a firewall. Placeholder hardware to replace."),
  entry(leafAgent, "A leaf node running an agent container. Placeholder hardware to replace."),
  entry(agentService, "The agent service on JetStream. Placeholder hardware to replace."),
];
