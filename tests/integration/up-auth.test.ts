import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect as tcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { createAuthority, issueIdentity } from "../../src/cli/auth/authority";
import { COMMANDS_STREAM, DEPLOYMENTS_BUCKET, EVENTS_STREAM, LEAVES_BUCKET, type LeafRecord } from "../../src/core/protocol";
import { leafBesideStack, startLeafServer } from "../support/deployTopology";
import { connectWithCreds, runCli, stackCreds, startStack, waitFor, type RunningStack } from "../support/stack";

/**
 * A WebSocket handshake on a raw socket, the way a page on `origin` opens one (Node 20 has no
 * WebSocket client). Resolves with the status line; when it is 101 and `nats` is given, sends
 * those NATS protocol lines in one masked frame and resolves `reply` with what the server sent.
 */
function wsHandshake(port: number, origin: string, nats?: string): Promise<{ status: string; reply: string }> {
  return new Promise((resolve, reject) => {
    const socket = tcp(port, "127.0.0.1", () =>
      socket.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`,
      ),
    );
    let data = "";
    let status = "";
    socket.on("data", (chunk: Buffer) => {
      data += chunk.toString("latin1");
      if (!status && data.includes("\r\n\r\n")) {
        status = data.split("\r\n")[0]!;
        if (!nats || !status.includes(" 101 ")) {
          socket.destroy();
          resolve({ status, reply: "" });
          return;
        }
        const payload = Buffer.from(nats);
        const mask = Buffer.from([1, 2, 3, 4]);
        socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ mask[i % 4]!)]));
      }
      if (status && /-ERR|PONG/.test(data.slice(data.indexOf("\r\n\r\n")))) {
        socket.destroy();
        resolve({ status, reply: data.slice(data.indexOf("\r\n\r\n") + 4) });
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve({ status: status || "closed", reply: data }));
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;
const IDENTITIES = ["admin", "browser", "executor-local"];

describe("alchemist up: no NATS connection without credentials", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "alchemist-auth-"));
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ stateDir, args: ["--allowed-origin", "http://localhost:5173"] });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("makes the authority and one creds file per identity, each for its owner only", () => {
    expect(mode(join(stateDir, "auth"))).toBe(0o700);
    expect(mode(join(stateDir, "auth", "authority.json"))).toBe(0o600);
    expect(mode(join(stateDir, "creds"))).toBe(0o700);
    for (const id of IDENTITIES) {
      expect(mode(stackCreds(stateDir, id))).toBe(0o600);
      expect(readFileSync(stackCreds(stateDir, id), "utf8")).toMatch(/BEGIN NATS USER JWT[\s\S]+BEGIN USER NKEY SEED/);
    }
    // The login link carries browser.creds, and nothing else does: not the logs, not hub.conf.
    const creds = readFileSync(stackCreds(stateDir, "browser"), "utf8");
    expect(Buffer.from(new URL(stack.loginUrl).hash.slice("#login=".length), "base64url").toString()).toBe(creds);
    const seed = /SU[A-Z2-7]+/.exec(creds)![0];
    for (const file of ["hub.conf", "hub.log", "executor.log"]) expect(readFileSync(join(stateDir, file), "utf8")).not.toContain(seed);
  });

  it("refuses an anonymous TCP client", async () => {
    await expect(connect({ servers: `nats://127.0.0.1:${stack.ports.client}`, reconnect: false })).rejects.toThrow(/Authorization Violation/);
  });

  it("takes admin.creds, and the streams and buckets are there", async () => {
    const nc = await stack.connect();
    try {
      const jsm = await jetstreamManager(nc, { domain: "hub" });
      for (const s of [COMMANDS_STREAM, EVENTS_STREAM, `KV_${LEAVES_BUCKET}`, `KV_${DEPLOYMENTS_BUCKET}`]) expect((await jsm.streams.info(s)).config.name).toBe(s);
    } finally {
      await nc.close();
    }
  });

  it("the local executor logs in with executor-local.creds", async () => {
    const nc = await stack.connect();
    try {
      const kv = await new Kvm(nc).open(LEAVES_BUCKET);
      const record = await waitFor("the local leaf's record", async () => (await kv.get("local"))?.json<LeafRecord>());
      expect(record.leafId).toBe("local");
    } finally {
      await nc.close();
    }
    const connz = (await (await fetch(`http://127.0.0.1:${stack.ports.monitor}/connz?auth=true`)).json()) as { connections: { name?: string; authorized_user?: string }[] };
    expect(connz.connections.find((c) => c.name === "alchemist-executor:local")?.authorized_user).toMatch(/^U[A-Z2-7]{55}$/);
  });

  it("refuses a WebSocket handshake from another site's origin", async () => {
    expect((await wsHandshake(stack.ports.websocket, "http://evil.example")).status).not.toContain(" 101 ");
    expect((await wsHandshake(stack.ports.websocket, `http://127.0.0.1:${stack.ports.websocket + 1}`)).status).not.toContain(" 101 ");
  });

  it("accepts the handshake from the app's own origin and --allowed-origin, and still wants credentials", async () => {
    for (const origin of [`http://127.0.0.1:${stack.ports.http}`, "http://localhost:5173"]) {
      expect((await wsHandshake(stack.ports.websocket, origin)).status).toContain(" 101 ");
    }
    // nats-server keeps one port per host name: the dev server's localhost takes the place of the app's.
    expect(stack.output()).toContain(`note: http://localhost:${stack.ports.http} may not open the hub's WebSocket`);
    const anonymous = await wsHandshake(stack.ports.websocket, `http://127.0.0.1:${stack.ports.http}`, 'CONNECT {"verbose":false,"protocol":1}\r\nPING\r\n');
    expect(anonymous.status).toContain(" 101 ");
    expect(anonymous.reply).toContain("Authorization Violation");
  });

  it("refuses a leaf server without credentials on the leafnode port", async () => {
    const dir = mkdtempSync(join(tmpdir(), "alchemist-anon-leaf-"));
    const leaf = await startLeafServer(dir, "anonymous", stack.ports.leafnode);
    try {
      await waitFor("the hub's refusal", () => (/Leafnode Error 'Authorization Violation'/.test(leaf.output()) ? true : undefined));
      const leafz = (await (await fetch(`http://127.0.0.1:${stack.ports.monitor}/leafz`)).json()) as { leafnodes: number };
      expect(leafz.leafnodes).toBe(0);
    } finally {
      await leaf.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("alchemist creds --leaf-id makes creds a new leaf's server and executor log in with", async () => {
    const leaf = await leafBesideStack(stack, "edge-1");
    try {
      for (const f of ["leaf-edge-1.creds", "executor-edge-1.creds", "leaf-edge-1.conf"]) expect(mode(join(stateDir, "creds", f))).toBe(0o600);
      const kv = await new Kvm(leaf.nc).open(LEAVES_BUCKET);
      expect((await waitFor("edge-1's record", async () => (await kv.get("edge-1"))?.json<LeafRecord>())).leafId).toBe("edge-1");
      // The leaf server trusts the hub's operator too: nothing connects to it without creds either.
      await expect(connect({ servers: `nats://127.0.0.1:${leaf.leaf.port}`, reconnect: false })).rejects.toThrow(/Authorization Violation/);
    } finally {
      await leaf.stop();
    }
  });

  it("alchemist creds --person makes an operator's creds, login link and public key", async () => {
    const r = await runCli(["creds", "--person", "alice", "--state-dir", stateDir, "--app-url", stack.url]);
    expect(r.code).toBe(0);
    const path = join(stateDir, "creds", "alice.creds");
    const creds = readFileSync(path, "utf8");
    expect(mode(path)).toBe(0o600);
    const link = /log in: (\S+)/.exec(r.stdout)![1]!;
    expect(link.startsWith(`${stack.url}#login=`)).toBe(true);
    expect(Buffer.from(new URL(link).hash.slice("#login=".length), "base64url").toString()).toBe(creds);
    const key = /public key: (U[A-Z2-7]{55})/.exec(r.stdout)![1]!;
    const nc = await connectWithCreds(`nats://127.0.0.1:${stack.ports.client}`, path);
    try {
      const connz = (await (await fetch(`http://127.0.0.1:${stack.ports.monitor}/connz?auth=true`)).json()) as { connections: { authorized_user?: string }[] };
      expect(connz.connections.map((c) => c.authorized_user)).toContain(key);
    } finally {
      await nc.close();
    }
  });

  it("alchemist creds --hub-nix prints the public half of the authority for services.alchemist-hub, no seed", async () => {
    const r = await runCli(["creds", "--hub-nix", "--state-dir", stateDir]);
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(join(stateDir, "auth", "authority.json"), "utf8")) as Record<"operator" | "account" | "system", { seed: string; publicKey: string; jwt: string }>;
    for (const part of ["operator", "account", "system"] as const) {
      expect(r.stdout).toContain(a[part].jwt);
      expect(r.stdout).not.toContain(a[part].seed);
    }
    expect(r.stdout).toContain(`systemAccount = "${a.system.publicKey}"`);
    expect(r.stdout).not.toMatch(/\bS[OAU][A-Z2-7]{50,}/);
  });

  it("reuses the authority and creds on the next start; remakes a creds file that is missing or not this hub's", async () => {
    const before = Object.fromEntries(IDENTITIES.map((id) => [id, readFileSync(stackCreds(stateDir, id), "utf8")]));
    const authority = readFileSync(join(stateDir, "auth", "authority.json"), "utf8");
    const link = stack.loginUrl;
    await stack.stop();
    rmSync(stackCreds(stateDir, "admin"));
    const foreign = await issueIdentity(await createAuthority(), { role: "executor", leafId: "local" });
    writeFileSync(stackCreds(stateDir, "executor-local"), foreign.creds, { mode: 0o600 });

    stack = await startStack({ stateDir, ports: stack.ports });
    expect(readFileSync(join(stateDir, "auth", "authority.json"), "utf8")).toBe(authority);
    expect(readFileSync(stackCreds(stateDir, "browser"), "utf8")).toBe(before.browser);
    expect(stack.loginUrl).toBe(link);
    expect(readFileSync(stackCreds(stateDir, "admin"), "utf8")).not.toBe(before.admin);
    // The foreign file's user key is kept (keys others trust stay the same), now signed by this hub's account.
    const remade = readFileSync(stackCreds(stateDir, "executor-local"), "utf8");
    expect(remade).not.toBe(foreign.creds);
    expect(remade).toContain(foreign.seed);
    expect(mode(stackCreds(stateDir, "admin"))).toBe(0o600);
    // Without --allowed-origin, the other spelling of loopback is the app's too.
    expect((await wsHandshake(stack.ports.websocket, `http://localhost:${stack.ports.http}`)).status).toContain(" 101 ");
    const nc = await stack.connect();
    await nc.close();
    const again = await connectWithCreds(`nats://127.0.0.1:${stack.ports.client}`, stackCreds(stateDir, "executor-local"));
    await again.close();
  });
});

describe("alchemist creds --revoke", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "alchemist-revoke-"));
  let stack: RunningStack | undefined;
  afterAll(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("a revoked person is refused by the hub after the next start, the others are not; making it again gives a new key", async () => {
    stack = await startStack({ stateDir });
    const made = await runCli(["creds", "--person", "mallory", "--state-dir", stateDir]);
    const key = /public key: (U[A-Z2-7]{55})/.exec(made.stdout)![1]!;
    const creds = readFileSync(stackCreds(stateDir, "mallory"), "utf8");
    const before = await connectWithCreds(`nats://127.0.0.1:${stack.ports.client}`, stackCreds(stateDir, "mallory"));
    await before.close();

    const r = await runCli(["creds", "--revoke", key, "--state-dir", stateDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("removed mallory.creds");
    await stack.stop();
    stack = await startStack({ stateDir, ports: stack.ports });

    const kept = join(stateDir, "mallory-kept.creds");
    writeFileSync(kept, creds, { mode: 0o600 });
    await expect(connectWithCreds(`nats://127.0.0.1:${stack.ports.client}`, kept)).rejects.toThrow(/Authorization Violation|authentication/i);
    const browser = await stack.connect("browser");
    await browser.close();
    const again = await runCli(["creds", "--person", "mallory", "--state-dir", stateDir]);
    expect(/public key: (U[A-Z2-7]{55})/.exec(again.stdout)![1]).not.toBe(key);
    const renewed = await connectWithCreds(`nats://127.0.0.1:${stack.ports.client}`, stackCreds(stateDir, "mallory"));
    await renewed.close();
  });

  it("refuses what is not a user key", async () => {
    const r = await runCli(["creds", "--revoke", "SUABU545IZD7JH6RSOAF44YNLXUWQIIK6MFXO3WZJRL5U4L2STDYXFJQHI", "--state-dir", stateDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error E_USAGE: --revoke takes a user public key/);
  });
});

describe("alchemist creds: bad input", () => {
  it("a state folder without an authority is named, with what to do", async () => {
    const r = await runCli(["creds", "--leaf-id", "x", "--state-dir", mkdtempSync(join(tmpdir(), "alchemist-empty-"))]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error E_AUTH_MISSING: .* holds no NATS authority .*run alchemist up --state-dir/);
  });

  it.each([
    [["--leaf-id", "a.b"], /E_USAGE: --leaf-id must be/],
    [["--person", "x y"], /E_USAGE: --person must be/],
    [["--person", "executor-local"], /E_USAGE: --person "executor-local" is the name of another role/],
    [["--person", "admin"], /E_USAGE: --person "admin"/],
    [[], /E_USAGE: give exactly one of --leaf-id ID, --person NAME, --hub-nix or --revoke KEY/],
    [["--leaf-id", "a", "--person", "b"], /E_USAGE: give exactly one/],
    [["--leaf-id", "a", "--hub-leafnodes", "http://x"], /E_USAGE: --hub-leafnodes must be/],
  ])("%j is refused", async (args, message) => {
    const r = await runCli(["creds", ...args, "--state-dir", mkdtempSync(join(tmpdir(), "alchemist-empty-"))]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
