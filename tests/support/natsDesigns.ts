/**
 * Random designs around one NATS server (hub or leaf) with the settings that shape its
 * configuration: users with and without permissions and password files, the user for local
 * services, JetStream, a cluster, payload sizes, TLS with and without a CA, monitoring, and
 * services that connect to it. Each compiles without errors, so proofs can hand the result
 * to the real tools (tests/proofs/proofs-nats-*.test.ts, proofs-prometheus-*.test.ts).
 */
import fc from "fast-check";
import type { Design } from "../../src/core/design/types";
import { buildBootable as build } from "./hardware";

const subject = fc.constantFrom("agent.>", "workflow.*", "events.>", "commands.deploy", "graph.>", "_INBOX.>", "$JS.API.>");
const user = fc.record({
  user: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  publish: fc.uniqueArray(subject, { maxLength: 3 }),
  subscribe: fc.uniqueArray(subject, { maxLength: 3 }),
  passwordFile: fc.constantFrom("", "/run/agenix/nats-pass", "/run/secrets/nats%user"),
});

export const natsDesign: fc.Arbitrary<Design> = fc
  .record({
    hub: fc.boolean(),
    users: fc.uniqueArray(user, { maxLength: 3, selector: (u) => u.user }),
    local: fc.nat(),
    jetstream: fc.boolean(),
    cluster: fc.boolean(),
    maxPayload: fc.constantFrom("1MB", "8MB", "64MB", "512KB"),
    tls: fc.constantFrom("none", "acme", "own-ca", "own-ca-verify"),
    monitoring: fc.boolean(),
    domain: fc.boolean(),
    serverName: fc.constantFrom("", "cim-leaf-7"),
  })
  .map((r): Design => {
    const localUser = r.users.length > 0 && r.local % 3 !== 0 ? r.users[r.local % r.users.length]!.user : "";
    const common = { serverName: r.serverName, maxPayload: r.maxPayload, users: r.users, localUser };
    const nats = r.hub
      ? ["nats-hub", { ...common, cluster: r.cluster ? { name: "cim", routes: ["nats-route://hub-2.example.com:6222"] } : {} }]
      : ["nats-leaf", { ...common, jetstream: r.jetstream, credentialsFile: r.jetstream ? "/run/agenix/leaf.creds" : "" }];
    const nodes: Record<string, [string, Record<string, unknown>]> = { host: ["cim-instance", { id: "cim-r" }], nats: nats as [string, Record<string, unknown>] };
    const edges: [string, string][] = [["nats", "host"]];
    if (r.tls !== "none") {
      const acme = r.tls === "acme";
      nodes.tls = [
        "tls",
        acme
          ? { email: "ops@example.com", domains: ["cim-r.example.com"], natsCert: "/var/lib/acme/cim-r.example.com/cert.pem", natsKey: "/var/lib/acme/cim-r.example.com/key.pem" }
          : { natsCert: "/etc/nats/server.pem", natsKey: "/etc/nats/server-key.pem", natsName: "nats.internal.example", natsCa: "/etc/nats/ca.pem", verify: r.tls === "own-ca-verify" },
      ];
      edges.push(["tls", "nats"]);
    }
    if (r.domain) {
      nodes.graph = ["graph-domain", {}];
      edges.push(["nats", "graph"], ["graph", "host"]);
    }
    if (r.monitoring) {
      nodes.monitoring = ["monitoring", { extraTargets: r.local % 2 === 0 ? ["10.0.0.5:9100"] : [] }];
      edges.push([r.domain ? "graph" : "nats", "monitoring"], ["monitoring", "host"]);
    }
    return build(nodes, edges);
  });
