import { spawn, type ChildProcess } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { freePort } from "../../src/cli/stack/ports";
import { buildBootable as build } from "../support/hardware";
import { atRunTime, evalHost, get, type Json, makeCertificate, natsOf, writeCompiled } from "../support/renderedConfig";

// The NATS settings the compiler writes (evaluated with nixpkgs' NATS settings, as the unit
// reads them) run by a real nats-server: what the instance's own services do through it works.

const root = mkdtempSync(join(tmpdir(), "alchemist-nats-generated-"));
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.kill("SIGTERM");
  rmSync(root, { recursive: true, force: true });
});

/** The evaluated settings of the design's host `cim-1`, on free ports, without the links to other servers. */
async function settingsOf(
  nodes: Parameters<typeof build>[0],
  edges: Parameters<typeof build>[1],
  name: string,
  copies: Record<string, string> = {},
): Promise<{ settings: Json; port: number; monitor: number; config: Json }> {
  const dir = join(root, name);
  writeCompiled(build(nodes, edges), dir);
  const config = evalHost(dir, "cim-1");
  const nats = natsOf(config)!;
  const [port, monitor] = [await freePort(), await freePort()];
  const { leafnodes: _leafnodes, http_port: _httpPort, websocket, ...rest } = atRunTime(nats.settings, copies, join(dir, "js"));
  const ws = websocket ? { websocket: { ...(websocket as Json), port: await freePort() } } : {};
  return { settings: { ...rest, ...ws, port, http: `127.0.0.1:${monitor}` }, port, monitor, config };
}

async function run(settings: Json, file: string): Promise<void> {
  writeFileSync(file, JSON.stringify(settings));
  const server = spawn("nats-server", ["-c", file], { stdio: ["ignore", "ignore", "pipe"] });
  servers.push(server);
  let log = "";
  server.stderr!.on("data", (c: Buffer) => (log += c.toString()));
  for (let i = 0; i < 200 && !log.includes("Server is ready"); i++) await new Promise((r) => setTimeout(r, 50));
  expect(log).toContain("Server is ready");
}

/** Reads the server's INFO, then upgrades to TLS as NATS clients do, verifying the certificate for `servername`. */
function tlsHandshake(port: number, ca: Buffer, servername?: string): Promise<{ info: Json; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, "127.0.0.1");
    socket.once("error", reject);
    socket.once("data", (chunk: Buffer) => {
      const info = JSON.parse(chunk.toString().replace(/^INFO /, "")) as Json;
      const secure = tlsConnect({ socket, ca, servername, host: "127.0.0.1" });
      secure.once("secureConnect", () => (secure.end(), resolve({ info })));
      secure.once("error", (e: Error) => (socket.destroy(), resolve({ info, error: e.message })));
    });
  });
}

describe("a generated NATS server, run by the real nats-server", () => {
  it("serves TLS with the credential copies, for the name the instance's services dial (point 3)", async () => {
    const name = "cim-1.example.com";
    const cert = makeCertificate(join(root, "tls-cert"), [name]);
    const { settings, port, config } = await settingsOf(
      {
        host: ["cim-instance", { id: "cim-1" }],
        tls: ["tls", { email: "ops@example.com", domains: [name], natsCert: `/var/lib/acme/${name}/cert.pem`, natsKey: `/var/lib/acme/${name}/key.pem` }],
        nats: ["nats-leaf"],
        graph: ["graph-domain"],
      },
      [["tls", "nats"], ["nats", "graph"], ["graph", "host"]],
      "tls",
      { "nats-cert.pem": cert.cert, "nats-key.pem": cert.key },
    );
    await run(settings, join(root, "tls.json"));
    expect(get(config, "cim/domains/graph/natsUrl")).toBe(`tls://${name}:4222`);
    const ca = readFileSync(cert.cert);
    // A client of the old URL (nats://127.0.0.1) is told TLS is required, and 127.0.0.1 is not a name the certificate covers.
    const byAddress = await tlsHandshake(port, ca);
    expect(byAddress.info.tls_required).toBe(true);
    expect(byAddress.error).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list|altnames/);
    // By the name the host maps to 127.0.0.1, the handshake succeeds.
    expect((await tlsHandshake(port, ca, name)).error).toBeUndefined();
  });

  it("lets the local user (restricted subjects) do request-reply and JetStream (issue 11, point 8)", async () => {
    const { settings, port } = await settingsOf(
      {
        host: ["cim-instance", { id: "cim-1" }],
        nats: ["nats-hub", { users: [{ user: "cim-agent", publish: ["agent.>", "commands.>"], subscribe: ["commands.>"] }], localUser: "cim-agent" }],
        graph: ["graph-domain"],
      },
      [["nats", "graph"], ["graph", "host"]],
      "local-user",
    );
    await run(settings, join(root, "local-user.json"));
    const nc = await connect({ servers: `nats://127.0.0.1:${port}` });
    try {
      // Request-reply: the reply comes on _INBOX.…, and the responder publishes to it.
      const sub = nc.subscribe("commands.ping", { callback: (_e, m) => void m.respond("pong") });
      await nc.flush();
      expect((await nc.request("commands.ping", "ping", { timeout: 2000 })).string()).toBe("pong");
      sub.unsubscribe();

      // JetStream: the API on $JS.API.>, a publish acknowledged on _INBOX, a pull consumer acked on $JS.ACK.>.
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "AGENT", subjects: ["agent.events"] });
      await jsm.consumers.add("AGENT", { durable_name: "worker", ack_policy: AckPolicy.Explicit });
      const js = jetstream(nc);
      expect((await js.publish("agent.events", "one")).seq).toBe(1);
      const consumer = await js.consumers.get("AGENT", "worker");
      const message = await consumer.next({ expires: 2000 });
      expect(message?.string()).toBe("one");
      expect(await message!.ackAck()).toBe(true);
      expect((await jsm.consumers.info("AGENT", "worker")).num_ack_pending).toBe(0);
    } finally {
      await nc.close();
    }
  });

  it("runs no JetStream on a leaf without it, and serves no /metrics on the monitoring port (points 9 and 6)", async () => {
    const { settings, port, monitor } = await settingsOf({ host: ["cim-instance", { id: "cim-1" }], nats: ["nats-leaf", { jetstream: false }] }, [["nats", "host"]], "no-jetstream");
    await run(settings, join(root, "no-jetstream.json"));
    const varz = (await (await fetch(`http://127.0.0.1:${monitor}/varz`)).json()) as { jetstream?: { config?: unknown } };
    expect(varz.jetstream?.config).toBeUndefined();
    const nc = await connect({ servers: `nats://127.0.0.1:${port}` });
    try {
      await expect((await jetstreamManager(nc, { timeout: 1000 }).catch((e: Error) => e)) instanceof Error).toBe(true);
    } finally {
      await nc.close();
    }
    // What the Prometheus job used to scrape: the exporter reads /varz and serves /metrics instead.
    expect((await fetch(`http://127.0.0.1:${monitor}/metrics`)).status).toBe(404);
  });
});
