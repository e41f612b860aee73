import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { DeployClient } from "../../src/app/deploy/client";
import { browserPermissions, executorPermissions, foldEvents, isFinished, type Command, type DeployEvent, type DeploymentSummary, type LeafRecord } from "../../src/core/protocol";
import { Topology } from "../support/deployTopology";
import { control, deployCommand } from "../support/commands";
import { runCli } from "../support/stack";
import { TEST_PUBLIC_KEY, TEST_SIGNER, TEST_SIGNER_NAME } from "../support/signing";

const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;
const user = (name: string, p: { publish: string[]; subscribe: string[] }) =>
  `{ user: "${name}", password: "pw", permissions: { publish: { allow: ${list(p.publish)} }, subscribe: { allow: ${list(p.subscribe)} } } }`;

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("DeployClient (the browser's side of the protocol) under the browser's permissions", () => {
  let t: Topology;
  let nc: NatsConnection;
  let client: DeployClient;
  beforeAll(async () => {
    // The browser's entry exactly as `alchemist permissions --browser` prints it.
    const printed = await runCli(["permissions", "--browser", "--user", "browser"]);
    expect(printed.code).toBe(0);
    t = await Topology.start({
      authorization: `authorization { users = [\n${user("executor", executorPermissions("leaf-w"))}\n${printed.stdout.replace('"<set me>"', '"pw"')}\n{ user: "admin", password: "admin" }\n] }`,
      client: { user: "admin", pass: "admin" },
    });
    await t.startExecutor("leaf-w", t.hub, { args: ["--user", "executor", "--password", "pw"] });
    nc = await connect({ servers: `nats://127.0.0.1:${t.hub.port}`, user: "browser", pass: "pw" });
    client = new DeployClient(nc, "hub", TEST_SIGNER);
  });
  afterAll(async () => {
    await nc?.close();
    await t?.stop();
  });

  it("says at once that the deployments bucket is empty, so the canvas knows nothing was deployed", async () => {
    let reported: Record<string, DeploymentSummary> | undefined;
    const stop = await client.watchDeployments((d) => (reported = d));
    expect(await until("the first report", () => reported)).toEqual({});
    stop();
  });

  it("sees the leaf, deploys, follows the events live, and sees the summary and the files", async () => {
    let leaves: Record<string, LeafRecord> = {};
    let deployments: Record<string, DeploymentSummary> = {};
    const stopLeaves = await client.watchLeaves((l) => (leaves = l));
    const stopDeployments = await client.watchDeployments((d) => (deployments = d));
    await until("leaf-w online", () => (leaves["leaf-w"]?.status === "idle" ? true : undefined));

    const cmd = deployCommand("leaf-w", { confirm: { mode: "manual", timeoutSeconds: 60 } }) as unknown as Command & { files: Record<string, string> };
    const live: DeployEvent[] = [];
    const problems: string[] = [];
    const stop = client.follow(cmd.deploymentId, (e) => live.push(e), (p) => problems.push(p));
    await client.send(cmd);
    await client.send(cmd); // the same command again is deduplicated by the hub
    await until("awaiting confirmation", () => (live.some((e) => e.type === "awaiting-confirmation") ? true : undefined));
    // The summary is written beside the event, not before it: wait for it too.
    await until("summary awaiting confirmation", () => (deployments[cmd.deploymentId]?.state === "awaiting-confirmation" ? true : undefined));
    await client.send(control("leaf-w", cmd.deploymentId, "confirm") as unknown as Command);
    const view = await until("the end", () => {
      const v = foldEvents(cmd.deploymentId, live);
      return isFinished(v) ? v : undefined;
    });
    stop();
    expect(view.status).toBe("succeeded");
    expect(live.filter((e) => e.type === "accepted")).toEqual([expect.objectContaining({ signer: { key: TEST_PUBLIC_KEY, name: TEST_SIGNER_NAME } })]);
    expect(deployments[cmd.deploymentId]?.signer).toEqual({ key: TEST_PUBLIC_KEY, name: TEST_SIGNER_NAME });
    expect(await until("summary", () => (deployments[cmd.deploymentId]?.state === "succeeded" ? true : undefined))).toBe(true);
    expect(await client.files(cmd.deploymentId)).toEqual(cmd.files);
    expect(await client.files("never-deployed")).toBeNull();

    // A second follower after the end (a reload) gets exactly the same events.
    const replay: DeployEvent[] = [];
    const stopReplay = client.follow(cmd.deploymentId, (e) => replay.push(e));
    await until("replay", () => (replay.length >= live.length ? true : undefined));
    stopReplay();
    expect(replay).toEqual(live);
    expect(problems).toEqual([]);
    stopLeaves();
    stopDeployments();
    expect(t.hub.output()).not.toMatch(/Permissions Violation/i);
  });

  it("without a signer it still sends, and the leaf answers E_CMD_UNSIGNED on the deployment, which the browser sees", async () => {
    const unsigned = new DeployClient(nc);
    const cmd = deployCommand("leaf-w") as unknown as Command;
    const live: DeployEvent[] = [];
    const stop = client.follow(cmd.deploymentId, (e) => live.push(e));
    await unsigned.send(cmd);
    const view = await until("the rejection", () => {
      const v = foldEvents(cmd.deploymentId, live);
      return v.status === "rejected" ? v : undefined;
    });
    stop();
    expect(view.error?.code).toBe("E_CMD_UNSIGNED");
    expect(live.map((e) => e.type)).toEqual(["rejected"]);
  });

  it("the browser's permissions do not let it write events, summaries or the registry", async () => {
    const p = browserPermissions();
    expect(p.publish.some((s) => s.startsWith("cim.deploy.events") || s.startsWith("$KV.") || s.startsWith("$O."))).toBe(false);
    const limited = browserPermissions("hub", ["leaf-w"]);
    expect(limited.publish.filter((s) => s.startsWith("cim.deploy.commands"))).toEqual(["cim.deploy.commands.leaf-w"]);
  });
});
