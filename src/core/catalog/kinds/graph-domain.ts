import { int, oneOf, text } from "../fields";
import { SIZE } from "../patterns";
import { domainKind } from "./cim-domain";
import { NATS_AND_DATA_CLIENT } from "../builds-on";

export const graphDomain = domainKind({
  kind: "graph-domain",
  name: "graph",
  label: "Graph domain",
  help: "The CIM graph domain: nodes, edges and their events.",
  buildsOn: NATS_AND_DATA_CLIENT,
  metricsPort: 9101,
  source: { input: "cim-domain-graph", url: "github:TheCowboyAI/cim-domain-graph" },
  fields: {
    maxNodes: int({ label: "Max nodes", help: "The most nodes the graph holds.", default: 100000, min: 1, max: 1_000_000_000 }),
    persistence: oneOf(["memory", "rocksdb"], { label: "Persistence", help: "Where the graph is kept.", default: "memory" }),
    indexing: oneOf(["rtree", "none"], { label: "Indexing", help: "The spatial index.", default: "rtree" }),
    cache: text({ label: "Cache", help: "Cache size; empty lets the domain decide.", pattern: SIZE, placeholder: "64GB" }),
    parallelism: int({ label: "Parallelism", help: "Worker threads; empty uses one per core.", default: null, min: 1, max: 1024 }),
  },
  settings: (c) => ({
    cache: c.cache || undefined,
    indexing: c.indexing,
    maxNodes: c.maxNodes,
    parallelism: c.parallelism ?? undefined,
    persistence: c.persistence,
  }),
});
