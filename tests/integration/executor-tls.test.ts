import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topology, milestones } from "../support/deployTopology";
import { deployCommand } from "../support/commands";
import { runCli } from "../support/stack";

/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl. */
function makeCerts(): { ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-tls-"));
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=alchemist-test-ca", "-keyout", f("ca.key"), "-out", f("ca.pem"));
  writeFileSync(f("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f("server.key"), "-out", f("server.csr"));
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "1", "-extfile", f("ext.cnf"), "-out", f("server.pem"));
  return { ca: f("ca.pem"), cert: f("server.pem"), key: f("server.key") };
}

describe("the executor over tls:// with token auth", () => {
  let t: Topology;
  let certs: ReturnType<typeof makeCerts>;
  beforeAll(async () => {
    certs = makeCerts();
    t = await Topology.start({
      authorization: `tls { cert_file: "${certs.cert}", key_file: "${certs.key}" }\nauthorization { token: "t0ken" }`,
      client: { token: "t0ken", tls: { caFile: certs.ca } } as never,
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("connects with --tls-ca-file and a token from the environment, and deploys", async () => {
    await t.startExecutor("leaf-tls", { port: t.hub.port }, {
      args: ["--servers", `tls://127.0.0.1:${t.hub.port}`, "--tls-ca-file", certs.ca],
      env: { NATS_TOKEN: "t0ken" },
    });
    const cmd = deployCommand("leaf-tls");
    await t.send(cmd);
    expect(milestones(await t.waitFor(cmd.deploymentId)).at(-1)).toBe("succeeded");
  });

  it("a CA file that cannot be read is named, in one line, before anything connects", async () => {
    const r = await runCli(["executor", "--leaf-id", "leaf-x", "--servers", `tls://127.0.0.1:${t.hub.port}`, "--token", "t0ken", "--tls-ca-file", "/nonexistent/ca.pem"], process.env, 10_000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("error E_USAGE: --tls-ca-file: cannot read /nonexistent/ca.pem (ENOENT)");
  });
});
