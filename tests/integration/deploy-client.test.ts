import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { DeployClient } from "../../src/client/deployClient";
import { deploymentKey, foldEvents, isFinished, type Command, type DeployEvent, type DeploymentSummary, type LeafRecord } from "../../src/core/protocol";
import { SecureTopology } from "../support/auth";
import { control, deployCommand } from "../support/commands";
import { TEST_PUBLIC_KEY, TEST_SIGNER, TEST_SIGNER_NAME } from "../support/signing";

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("DeployClient (the browser's side of the protocol) with a person's identity, the leaf behind its leaf server", () => {
  let s: SecureTopology;
  let nc: NatsConnection;
  let client: DeployClient;
  beforeAll(async () => {
    s = await SecureTopology.start();
    await s.t.startExecutor("leaf-w", await s.addLeaf("leaf-w"));
    // As the app connects: the person's creds, replies on its own inbox prefix.
    nc = await s.connectAs({ role: "operator", name: "browser" });
    client = new DeployClient(nc, "hub", TEST_SIGNER);
  });
  afterAll(async () => {
    await nc?.close();
    await s?.stop();
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
    const stop = client.follow(cmd.deploymentId, (e) => live.push(e), (p) => problems.push(p), "leaf-w");
    await client.send(cmd);
    await client.send(cmd); // the same command again is deduplicated by the hub
    await until("awaiting confirmation", () => (live.some((e) => e.type === "awaiting-confirmation") ? true : undefined));
    // The summary is written beside the event, not before it: wait for it too.
    await until("summary awaiting confirmation", () => (deployments[deploymentKey("leaf-w", cmd.deploymentId)]?.state === "awaiting-confirmation" ? true : undefined));
    await client.send(control("leaf-w", cmd.deploymentId, "confirm") as unknown as Command);
    const view = await until("the end", () => {
      const v = foldEvents(cmd.deploymentId, live);
      return isFinished(v) ? v : undefined;
    });
    stop();
    expect(view.status).toBe("succeeded");
    expect(live.filter((e) => e.type === "accepted")).toEqual([expect.objectContaining({ signer: { key: TEST_PUBLIC_KEY, name: TEST_SIGNER_NAME } })]);
    expect(await until("summary", () => (deployments[deploymentKey("leaf-w", cmd.deploymentId)]?.state === "succeeded" ? true : undefined))).toBe(true);
    expect(deployments[deploymentKey("leaf-w", cmd.deploymentId)]).toMatchObject({ leafId: "leaf-w", deploymentId: cmd.deploymentId, signer: { key: TEST_PUBLIC_KEY, name: TEST_SIGNER_NAME } });
    expect(await client.files("leaf-w", cmd.deploymentId)).toEqual(cmd.files);
    expect(await client.files("leaf-w", "never-deployed")).toBeNull();

    // A second follower after the end (a reload, before the summary names the leaf) gets exactly the same events.
    const replay: DeployEvent[] = [];
    const stopReplay = client.follow(cmd.deploymentId, (e) => replay.push(e));
    await until("replay", () => (replay.length >= live.length ? true : undefined));
    stopReplay();
    expect(replay).toEqual(live);
    expect(problems).toEqual([]);
    stopLeaves();
    stopDeployments();
    expect(s.t.hub.output()).not.toMatch(/Violation/i);
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
});
