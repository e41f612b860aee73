import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { compile } from "../../src/core/compile";
import { freePort } from "../../src/cli/stack/ports";
import { evalModuleWithStub } from "../support/nix";
import { buildBootable as build } from "../support/hardware";

// The user for local services becomes NATS's no_auth_user: the settings the compiler writes,
// evaluated and handed to a real nats-server, let a client without credentials in as that
// user (with its permissions) and still refuse a stranger's password.

const root = mkdtempSync(join(tmpdir(), "alchemist-nats-local-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("NATS: the user for local services", () => {
  it("lets the instance's own services in without credentials, as that user, under a real nats-server", async () => {
    const design = build(
      {
        host: ["cim-instance", { id: "cim-1" }],
        nats: ["nats-hub", { users: [{ user: "cim-agent", publish: ["agent.>"], subscribe: ["_INBOX.>"] }], localUser: "cim-agent" }],
        graph: ["graph-domain"],
      },
      [["nats", "graph"], ["graph", "host"]],
    );
    const { files, diagnostics } = compile(design);
    expect(diagnostics).toEqual([]);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const config = evalModuleWithStub({ file: join(root, "hosts/cim-1/default.nix") }, { imports: "ignore" });
    const settings = (config as { services: { nats: { settings: Record<string, unknown> } } }).services.nats.settings;
    expect(settings.no_auth_user).toBe("cim-agent");

    // Run it on free ports, without the cluster/leafnode/websocket/jetstream listeners this test does not need.
    const port = await freePort();
    const conf = join(root, "nats.json");
    writeFileSync(conf, JSON.stringify({ port, authorization: settings.authorization, no_auth_user: settings.no_auth_user, max_payload: settings.max_payload }));
    const server = spawn("nats-server", ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      let log = "";
      server.stderr!.on("data", (c: Buffer) => (log += c.toString()));
      for (let i = 0; i < 100 && !log.includes("Server is ready"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(log).toContain("Server is ready");

      const local = await connect({ servers: `nats://127.0.0.1:${port}` });
      const errors: string[] = [];
      void (async () => {
        for await (const s of local.status()) if (s.type === "error") errors.push(s.error.message);
      })();
      local.publish("agent.hello", "ok");
      local.publish("graph.forbidden", "no");
      await local.flush();
      await new Promise((r) => setTimeout(r, 200));
      expect(errors.join("\n")).toMatch(/Permissions Violation for Publish to "graph.forbidden"/);
      expect(errors.join("\n")).not.toMatch(/agent\.hello/);
      await local.close();

      await expect(connect({ servers: `nats://127.0.0.1:${port}`, user: "cim-agent", pass: "guess" })).rejects.toThrow(/Authorization Violation/);
    } finally {
      server.kill("SIGTERM");
    }
  });
});
