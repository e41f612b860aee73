import { defineKind } from "../kind";
import { bool, oneOf } from "../fields";
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
    boltTls: oneOf(["DISABLED", "OPTIONAL", "REQUIRED"], {
      label: "Bolt TLS",
      help: "Whether Bolt clients must use TLS. The database listens on localhost, so DISABLED; OPTIONAL and REQUIRED need a certificate and key (neo4j.cert, neo4j.key) in /var/lib/neo4j/certificates on the host.",
      default: "DISABLED",
    }),
  },
  warnings: (c) =>
    c.bolt && c.boltTls !== "DISABLED"
      ? [{ field: "boltTls", message: `Bolt TLS ${c.boltTls} needs a certificate and key (neo4j.cert, neo4j.key of the legacy SSL policy) in /var/lib/neo4j/certificates on the host, or Neo4j will not serve Bolt; put them there, or set Bolt TLS to DISABLED (the database listens on localhost only)` }]
      : [],
  claims: () => ["services.neo4j"],
  units: () => ["neo4j.service"],
  dataDirs: () => ["/var/lib/neo4j"],
  ports: (c) => [
    { port: HTTP, label: "Neo4j HTTP", field: "https", exposed: false },
    ...(c.bolt ? [{ port: BOLT, label: "Neo4j Bolt", field: "bolt", exposed: false }] : []),
    ...(c.https ? [{ port: HTTPS, label: "Neo4j HTTPS", field: "https", exposed: false }] : []),
  ],
  emit: ({ config: c }) => ({
    // The NixOS module's tlsLevel defaults to OPTIONAL, which points Bolt at a certificate nobody made.
    options: { services: { neo4j: { enable: true, bolt: { enable: c.bolt, tlsLevel: c.bolt ? c.boltTls : undefined }, https: { enable: c.https } } } },
  }),
});
