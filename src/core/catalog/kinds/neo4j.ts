import { defineKind } from "../kind";
import { bool } from "../fields";
import { SETTINGS_ONLY } from "../builds-on";

const HTTP = 7474;
const HTTPS = 7473;
const BOLT = 7687;

export const neo4j = defineKind({
  kind: "neo4j",
  label: "Neo4j",
  group: "Data",
  role: "service",
  help: "The Neo4j graph database (HTTP 7474, Bolt 7687), listening on localhost.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    bolt: bool({ label: "Bolt", help: "Serve the Bolt protocol on 7687.", default: true }),
    https: bool({ label: "HTTPS", help: "Serve HTTPS on 7473 (needs certificates).", default: false }),
  },
  claims: () => ["services.neo4j"],
  units: () => ["neo4j.service"],
  dataDirs: () => ["/var/lib/neo4j"],
  ports: (c) => [
    { port: HTTP, label: "Neo4j HTTP", field: "https", exposed: false },
    ...(c.bolt ? [{ port: BOLT, label: "Neo4j Bolt", field: "bolt", exposed: false }] : []),
    ...(c.https ? [{ port: HTTPS, label: "Neo4j HTTPS", field: "https", exposed: false }] : []),
  ],
  emit: ({ config: c }) => ({
    options: { services: { neo4j: { enable: true, bolt: { enable: c.bolt }, https: { enable: c.https } } } },
  }),
});
