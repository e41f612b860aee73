import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { headers } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER_SIGNATURE, HEADER_SIGNER, UNNAMED_DEPLOYMENT, commandSubject, type DeployEvent } from "../../src/core/protocol";
import type { ErrorCode } from "../../src/core/errors";
import { Topology, milestones, type ExecutorProc } from "../support/deployTopology";
import { control, deployCommand } from "../support/commands";
import { TEST_PUBLIC_KEY, TEST_SIGNER_NAME, newSigner, signedMessage } from "../support/signing";
import { runCli } from "../support/stack";
import { topologyPerSuite } from "../support/topologySuite";

const LEAF = "leaf-sig";
type Rejected = Extract<DeployEvent, { type: "rejected" }>;
type Message = ReturnType<typeof signedMessage>;

describe("the executor runs only fresh commands signed by a key it trusts, and refuses the rest with their own code", () => {
  let t: Topology;
  let ex: ExecutorProc;
  const setControl = (name: string, value: string | null) => (value === null ? rmSync(join(ex.control, name), { force: true }) : writeFileSync(join(ex.control, name), value));
  const rejectedOn = async (subject: string) => (await t.events(subject)).filter((e): e is Rejected => e.type === "rejected");

  /** Publishes a message as the hub would hand it on; a replay copies the captured headers into a new message. */
  const publish = async (m: Message, msgID: string) => {
    const h = headers();
    for (const name of [HEADER_SIGNER, HEADER_SIGNATURE]) {
      const v = m.headers?.get(name);
      if (v) h.set(name, v);
    }
    await t.js.publish(commandSubject(LEAF), m.data, { msgID, headers: h });
  };

  /** Sends `m` and waits for the rejection answered on `subject`; returns it. */
  const refused = async (m: Message, subject: string, msgID: string): Promise<Rejected> => {
    const before = (await rejectedOn(subject)).length;
    await publish(m, msgID);
    await t.waitFor(subject, (es) => es.filter((e) => e.type === "rejected").length > before, 15_000);
    return (await rejectedOn(subject)).at(-1)!;
  };

  /** A new deployment's command refused with `code`: answered on its own id, and nothing of it written. */
  const refusedNew = async (cmd: ReturnType<typeof deployCommand>, m: Message, code: ErrorCode): Promise<Rejected> => {
    const r = await refused(m, cmd.deploymentId, cmd.commandId);
    expect(r.error.code).toBe(code);
    expect(r.commandId).toBe(cmd.commandId);
    expect((await t.events(cmd.deploymentId)).map((e) => e.type)).toEqual(["rejected"]);
    expect(await t.summary(LEAF, cmd.deploymentId)).toBeUndefined();
    expect(existsSync(join(ex.workDir, "deployments", cmd.deploymentId))).toBe(false);
    return r;
  };

  beforeAll(async () => {
    t = await Topology.start();
    // A trusted-keys file as an operator writes one: comments, a blank line, a named key, an unnamed one.
    const keys = join(t.dir, "trusted-keys");
    writeFileSync(keys, `# who may deploy to ${LEAF}\n\n${TEST_PUBLIC_KEY} ${TEST_SIGNER_NAME}   # the tests\n${newSigner().publicKey}\n`);
    ex = await t.startExecutor(LEAF, await t.addLeaf(LEAF), { trustedKeys: keys, args: ["--command-max-age", "3600"] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("a command signed by a trusted key runs, and its accepted event and summary name the signer", async () => {
    const cmd = deployCommand(LEAF);
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    expect(es.at(-1)!.type).toBe("succeeded");
    const signer = { key: TEST_PUBLIC_KEY, name: TEST_SIGNER_NAME };
    expect(es[0]).toMatchObject({ type: "accepted", signer });
    expect(await t.summary(LEAF, cmd.deploymentId)).toMatchObject({ state: "succeeded", signer });
  });

  it("unsigned: rejected E_CMD_UNSIGNED, nothing written", async () => {
    const cmd = deployCommand(LEAF);
    const r = await refusedNew(cmd, signedMessage(JSON.stringify(cmd), null), "E_CMD_UNSIGNED");
    expect(r.reason).toMatch(/no Alchemist-Signer and Alchemist-Signature header/);
  });

  it("forged (the body changed after signing): rejected E_CMD_BAD_SIGNATURE, nothing written", async () => {
    const cmd = deployCommand(LEAF);
    const signed = signedMessage(JSON.stringify(cmd));
    const files = cmd.files as Record<string, string>;
    const evil = { ...cmd, files: { ...files, "flake.nix": `${files["flake.nix"]}\n# and something else` } };
    await refusedNew(cmd, { data: new TextEncoder().encode(JSON.stringify(evil)), headers: signed.headers }, "E_CMD_BAD_SIGNATURE");
  });

  it("signed by a key the leaf does not trust: rejected E_CMD_UNTRUSTED_KEY, nothing written", async () => {
    const cmd = deployCommand(LEAF);
    const stranger = newSigner();
    const r = await refusedNew(cmd, signedMessage(JSON.stringify(cmd), stranger), "E_CMD_UNTRUSTED_KEY");
    expect(r.reason).toContain(stranger.publicKey);
  });

  it("requested longer ago than --command-max-age: rejected E_CMD_EXPIRED, nothing written", async () => {
    const cmd = deployCommand(LEAF, { requestedAt: new Date(Date.now() - 7200_000).toISOString() });
    const r = await refusedNew(cmd, signedMessage(JSON.stringify(cmd)), "E_CMD_EXPIRED");
    expect(r.reason).toMatch(/at most 3600 s old/);
  });

  it("requested further ahead than the leaf's clock allows: rejected E_CMD_EXPIRED, nothing written", async () => {
    const cmd = deployCommand(LEAF, { requestedAt: new Date(Date.now() + 3600_000).toISOString() });
    const r = await refusedNew(cmd, signedMessage(JSON.stringify(cmd)), "E_CMD_EXPIRED");
    expect(r.reason).toMatch(/ahead of this leaf's clock/);
  });

  it("replayed deploy (the same signed bytes as a new message), while it runs and after it ended: rejected E_CMD_REPLAYED on _invalid; it ran once", async () => {
    setControl("build.sleep", "2");
    const cmd = deployCommand(LEAF);
    const m = signedMessage(JSON.stringify(cmd));
    await publish(m, cmd.commandId);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "step-started" && e.step === "build"));
    const running = await refused(m, UNNAMED_DEPLOYMENT, `${cmd.commandId}-replayed`).finally(() => setControl("build.sleep", null));
    expect(running.error.code).toBe("E_CMD_REPLAYED");
    const es = await t.waitFor(cmd.deploymentId);
    expect(es.at(-1)!.type).toBe("succeeded");

    const ended = await refused(m, UNNAMED_DEPLOYMENT, `${cmd.commandId}-replayed-later`);
    expect(ended.error.code).toBe("E_CMD_REPLAYED");
    expect(ended.reason).toContain(`deployment ${cmd.deploymentId} exists on this leaf already`);
    // The deployment's own events and summary are as the one run left them.
    expect(await t.events(cmd.deploymentId)).toEqual(es);
    expect(milestones(es).filter((x) => x === "accepted" || x === "start build")).toEqual(["accepted", "start build"]);
    expect(await t.summary(LEAF, cmd.deploymentId)).toMatchObject({ state: "succeeded", commandId: cmd.commandId });
  });

  it("replayed control command: rejected E_CMD_REPLAYED on _invalid, the deployment untouched", async () => {
    const cmd = deployCommand(LEAF, { confirm: { mode: "manual", timeoutSeconds: 60 } });
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "awaiting-confirmation"));
    const confirm = control(LEAF, cmd.deploymentId, "confirm");
    const m = signedMessage(JSON.stringify(confirm));
    await publish(m, confirm.commandId);
    const es = await t.waitFor(cmd.deploymentId);
    expect(es.at(-1)!.type).toBe("succeeded");
    const r = await refused(m, UNNAMED_DEPLOYMENT, `${confirm.commandId}-replayed`);
    expect(r).toMatchObject({ commandId: confirm.commandId, error: { code: "E_CMD_REPLAYED" } });
    expect(await t.events(cmd.deploymentId)).toEqual(es);
  });

  it("a forged command naming a real deployment is answered on _invalid: it puts nothing into that deployment", async () => {
    setControl("build.sleep", "2");
    const cmd = deployCommand(LEAF);
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "step-started" && e.step === "build"));
    const cancel = control(LEAF, cmd.deploymentId, "cancel");
    const r = await refused(signedMessage(JSON.stringify(cancel), newSigner()), UNNAMED_DEPLOYMENT, cancel.commandId).finally(() => setControl("build.sleep", null));
    expect(r.error.code).toBe("E_CMD_UNTRUSTED_KEY");
    const es = await t.waitFor(cmd.deploymentId);
    expect(es.at(-1)!.type).toBe("succeeded");
    expect(es.some((e) => e.type === "rejected")).toBe(false);
  });
});

describe("replays after the executor restarts", () => {
  const topology = topologyPerSuite();

  it("the messages handed back go on (the cut-off one fails, the queued one runs); the same commands published again are refused E_CMD_REPLAYED", async () => {
    const t = topology();
    const leaf = await t.addLeaf(LEAF);
    const ex = await t.startExecutor(LEAF, leaf);
    writeFileSync(join(ex.control, "build.sleep"), "60");
    const running = deployCommand(LEAF);
    const waiting = deployCommand(LEAF);
    const messages = [running, waiting].map((c) => signedMessage(JSON.stringify(c)));
    for (const [i, c] of [running, waiting].entries()) await t.js.publish(commandSubject(LEAF), messages[i]!.data, { msgID: c.commandId, headers: messages[i]!.headers });
    await t.waitFor(waiting.deploymentId, (es) => es.some((e) => e.type === "queued"));
    await t.waitFor(running.deploymentId, (es) => es.some((e) => e.type === "step-started" && e.step === "build"));
    await ex.kill("SIGKILL");
    // The orphaned build is ended by the restarted executor (issue 15) before it takes a command.
    rmSync(join(ex.control, "build.sleep"));
    // While the executor is down, both signed commands are published again as new messages.
    const before = (await t.events(UNNAMED_DEPLOYMENT)).length;
    for (const [i, c] of [running, waiting].entries()) await t.js.publish(commandSubject(LEAF), messages[i]!.data, { msgID: `${c.commandId}-again`, headers: messages[i]!.headers });

    await t.startExecutor(LEAF, leaf, { control: ex.control, workDir: ex.workDir });
    expect(milestones(await t.waitFor(running.deploymentId)).at(-1)).toBe("failed E_EXECUTOR_RESTARTED");
    const es = await t.waitFor(waiting.deploymentId);
    expect(milestones(es).filter((m) => m === "accepted" || m === "succeeded")).toEqual(["accepted", "succeeded"]);
    const replays = (await t.waitFor(UNNAMED_DEPLOYMENT, (x) => x.length >= before + 2)).slice(before) as Rejected[];
    expect(replays.map((r) => [r.commandId, r.error.code]).sort()).toEqual([running, waiting].map((c) => [c.commandId, "E_CMD_REPLAYED"]).sort());
  });
});

describe("the executor's trusted keys", () => {
  const executor = (more: string[], env: NodeJS.ProcessEnv = process.env) => runCli(["executor", "--leaf-id", "leaf-x", "--servers", "nats://127.0.0.1:1", ...more], env, 10_000);
  const dir = mkdtempSync(join(tmpdir(), "alchemist-keys-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("none given: it refuses to start, saying how to give them", async () => {
    const env = { ...process.env };
    delete env.ALCHEMIST_TRUSTED_KEYS;
    const r = await executor([], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error E_USAGE: no trusted keys, so this executor would run no command; give --trusted-keys \(or ALCHEMIST_TRUSTED_KEYS\) a file/);
  });

  it("a bad line in the file is named", async () => {
    const file = join(dir, "bad-keys");
    writeFileSync(file, `# ops\n${TEST_PUBLIC_KEY} ops\nnot-a-key someone\n`);
    const r = await executor(["--trusted-keys", file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`error E_USAGE: --trusted-keys ${file} line 3: "not-a-key" is not a NATS user public key (56 characters starting with U, the user's public nkey); each entry is <PUBLIC_KEY> [name]`);
  });

  it("a bad entry of a list in the environment is named", async () => {
    const r = await executor([], { ...process.env, ALCHEMIST_TRUSTED_KEYS: `${TEST_PUBLIC_KEY} ops, UNOPE` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error E_USAGE: ALCHEMIST_TRUSTED_KEYS entry 2: "UNOPE" is not a NATS user public key/);
  });

  it("a file that cannot be read is named", async () => {
    const r = await executor(["--trusted-keys", "/nonexistent/trusted-keys"]);
    expect(r.stderr.trim()).toBe("error E_USAGE: --trusted-keys: cannot read the trusted keys file /nonexistent/trusted-keys (ENOENT)");
  });

  it("a file that lists no key is refused too", async () => {
    const file = join(dir, "empty-keys");
    writeFileSync(file, "# nobody yet\n");
    const r = await executor(["--trusted-keys", file]);
    expect(r.stderr.trim()).toMatch(/^error E_USAGE: --trusted-keys: .* lists no keys, so this executor would run no command/);
  });
});
