import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { credsAuthenticator } from "@nats-io/nats-core";
import { encodeAccount, encodeOperator, encodeUser, fmtCreds } from "@nats-io/jwt";
import { createAccount, createOperator, createUser } from "@nats-io/nkeys";
import { Topology, milestones } from "../support/deployTopology";
import { deployCommand } from "../support/commands";

// Decentralised auth (operator → account → user JWTs), the way NATS deployments hand a leaf a
// .creds file: the executor takes it with --creds-file and never sees a password.
async function operatorSetup(dir: string) {
  const operator = createOperator();
  const account = createAccount();
  const system = createAccount();
  const unlimited = { conn: -1, subs: -1, data: -1, payload: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
  const accountJwt = await encodeAccount("CIM", account, { limits: { ...unlimited, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 } }, { signer: operator });
  const systemJwt = await encodeAccount("SYS", system, { limits: unlimited }, { signer: operator });
  const creds = async (name: string) => {
    const user = createUser();
    const path = join(dir, `${name}.creds`);
    writeFileSync(path, fmtCreds(await encodeUser(name, user, account), user));
    return path;
  };
  return {
    config: [
      `operator: ${await encodeOperator("CIM-OP", operator, { system_account: system.getPublicKey() })}`,
      `system_account: ${system.getPublicKey()}`,
      "resolver: MEMORY",
      `resolver_preload: { ${account.getPublicKey()}: ${accountJwt}, ${system.getPublicKey()}: ${systemJwt} }`,
    ].join("\n"),
    executorCreds: await creds("executor"),
    clientCreds: await creds("browser"),
  };
}

describe("the executor with a NATS .creds file", () => {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-creds-"));
  let t: Topology | undefined;
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("authenticates with --creds-file (NATS_CREDS) and deploys", async () => {
    const setup = await operatorSetup(dir);
    t = await Topology.start({
      authorization: setup.config,
      client: { authenticator: credsAuthenticator(new Uint8Array(readFileSync(setup.clientCreds))) } as never,
    });
    await t.startExecutor("leaf-creds", t.hub, { env: { NATS_CREDS: setup.executorCreds } });
    const cmd = deployCommand("leaf-creds");
    await t.send(cmd);
    expect(milestones(await t.waitFor(cmd.deploymentId)).at(-1)).toBe("succeeded");
    expect(t.hub.output()).not.toMatch(/authentication error|Authorization Violation/i);
  });
});
