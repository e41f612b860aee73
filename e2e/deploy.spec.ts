import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { testWithLeaf } from "./leaf";
import { connect } from "./canvas";
import { deployDialog, deploying, fake, instance, node, panel, state } from "./deploying";
import { sha256Hex } from "../src/core/hash";
import { DEPLOYMENTS_BUCKET, LEAVES_BUCKET, describeEvent, eventSubject, type DeployEvent } from "../src/core/protocol";

const LEAF = "leaf-e2e";
const test = testWithLeaf(LEAF);

const { openDesign, deploy } = deploying(LEAF);

/** The milestones as the view lists them, and as the hub's stream holds them. */
const shownTimeline = (page: Page) => panel(page).getByRole("list", { name: "Events", includeHidden: true }).locator("li").allTextContents();
const hubTimeline = (events: DeployEvent[]) => events.flatMap((e) => (describeEvent(e) === null ? [] : [`#${e.seq} ${describeEvent(e)}`]));
const hubLogLines = (events: DeployEvent[]) => events.reduce((n, e) => n + (e.type === "step-log" ? e.line.split("\n").length : 0), 0);

test.describe.serial("deploying from the canvas", () => {
  let first = "";

  test("template → point at the leaf → review (all new) → switch succeeds live → change a port → review shows only that → deploy again", async ({ page, stack, leaf }) => {
    fake(leaf, { "build.lines": "40" });
    await openDesign(page, stack.url);

    await page.getByRole("button", { name: /^Leaves/ }).click();
    const leafRow = page.getByRole("region", { name: "Leaves" }).getByRole("row", { name: `Leaf ${LEAF}` });
    await expect(leafRow).toContainText("online, idle");
    await page.getByRole("button", { name: /^Leaves/ }).click();
    // Once the hub has said what was deployed (nothing of this instance yet), every node is new.
    for (const id of ["host", "nats", "graph", "hardware"]) await expect(node(page, id)).toHaveAttribute("data-undeployed", "added");

    first = await deploy(page, {
      review: async (review) => {
        await expect(review).toContainText("First deployment of cim-minimal: everything is new.");
        await expect(review.getByRole("list", { name: "Changed nodes" }).locator("li")).toHaveText([/^added graph/, /^added hardware/, /^added host/, /^added nats/]);
        await expect(review.getByRole("listitem", { name: "flake.nix added" })).toBeVisible();
      },
    });
    await expect(state(page)).toHaveText("succeeded");
    await expect(panel(page).getByRole("listitem", { name: "Step build: ok" })).toBeVisible();
    await expect(panel(page).getByRole("progressbar", { name: "build progress" })).toHaveAttribute("aria-valuenow", "3");
    const log = panel(page).getByRole("log", { name: "Deployment log" });
    await expect(log).toContainText("build output line 39");
    await panel(page).getByLabel("Step", { exact: true }).selectOption("activate");
    await expect(panel(page).getByLabel("Log line count")).toHaveText(/^\d+ of \d+ lines$/);
    await expect(log).toContainText("activating the configuration");
    await expect(log).not.toContainText("build output line");
    await panel(page).getByLabel("Step", { exact: true }).selectOption("all");
    await panel(page).getByRole("searchbox", { name: "Search log" }).fill("output line 7");
    await expect(panel(page).getByLabel("Log line count")).toHaveText(/^1 of \d+ lines$/);
    await expect(log).toContainText("build output line 7");
    await panel(page).getByRole("searchbox", { name: "Search log" }).fill("");
    for (const id of ["host", "nats", "graph", "hardware"]) await expect(node(page, id)).toHaveAttribute("data-deploy-state", "active");
    await expect(page.locator("[data-undeployed]")).toHaveCount(0);
    expect(await shownTimeline(page)).toEqual(hubTimeline(await leaf.events(first)));
    // The hash the compile worker gave, sent with the files, is that of the alchemist.json the leaf got.
    const sentDesign = readFileSync(join(leaf.executor.workDir, "deployments", first, "alchemist.json"), "utf8");
    expect((await leaf.events(first)).find((e) => e.type === "accepted")).toMatchObject({ designHash: sha256Hex(sentDesign) });

    await page.locator('.react-flow__node[data-id="nats"]').click();
    await page.getByLabel("Client port").fill("4333");
    await expect(node(page, "nats")).toHaveAttribute("data-undeployed", "changed");
    await expect(page.locator("[data-undeployed]")).toHaveCount(1);
    await deploy(page, {
      review: async (review) => {
        await expect(review).toContainText(`Compared with ${first}`);
        await expect(review.getByRole("list", { name: "Changed nodes" }).locator("li")).toHaveText([/^changed nats/]);
        const diff = review.getByLabel("Diff of hosts/cim-minimal/default.nix");
        // The port, and the URL the graph domain reaches NATS at: nothing else.
        const changed = await diff.locator("div").filter({ hasText: /^[-+]/ }).allTextContents();
        expect(changed.length).toBeGreaterThan(0);
        for (const line of changed) expect(line).toMatch(line.startsWith("-") ? /4222/ : /4333/);
        // The design hash appears in the README and flake.nix headers too.
        const files = review.getByRole("list", { name: "Changed files" }).locator(":scope > li");
        await expect(files).toHaveCount(4);
        expect(await files.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")))).toEqual(["README.md changed", "alchemist.json changed", "flake.nix changed", "hosts/cim-minimal/default.nix changed"]);
      },
    });
    await expect(state(page)).toHaveText("succeeded");
    await expect(page.locator("[data-undeployed]")).toHaveCount(0);
  });

  test("a failing build shows the error summary and the instance in red", async ({ page, stack, leaf }) => {
    fake(leaf, { "build.exit": "1" });
    await openDesign(page, stack.url);
    await deploy(page);
    await expect(state(page)).toHaveText("failed");
    const summary = panel(page).getByRole("alert", { name: "Error summary" });
    await expect(summary).toContainText("Step build failed");
    await expect(summary).toContainText("error: builder for");
    await expect(node(page, "host")).toHaveAttribute("data-deploy-state", "failed");
  });

  test("cancel during a long build ends cancelled", async ({ page, stack, leaf }) => {
    fake(leaf, { "build.sleep": "30" });
    await openDesign(page, stack.url);
    await deploy(page);
    await expect(panel(page).getByRole("listitem", { name: "Step build: running" })).toBeVisible();
    await panel(page).getByRole("button", { name: "Cancel" }).click();
    await expect(state(page)).toHaveText("cancelled");
  });

  test("manual confirmation not given ends rolled back", async ({ page, stack, leaf }) => {
    fake(leaf);
    await openDesign(page, stack.url);
    await deploy(page, { mode: "manual", timeout: "3" });
    await expect(panel(page).getByRole("button", { name: "Confirm" })).toBeVisible();
    await expect(panel(page).getByLabel("Confirmation countdown")).toContainText("s left");
    await expect(state(page)).toHaveText("failed (rolled back)");
    await expect(panel(page).getByRole("alert", { name: "Error summary" })).toContainText("rolled back: not confirmed");
  });

  test("manual confirmation given ends succeeded; roll back to the first deployment succeeds", async ({ page, stack, leaf }) => {
    fake(leaf);
    await openDesign(page, stack.url);
    await deploy(page, { mode: "manual", timeout: "60" });
    await panel(page).getByRole("button", { name: "Confirm" }).click();
    await expect(state(page)).toHaveText("succeeded");

    await instance(page).getByRole("button", { name: "History" }).click();
    const history = page.getByRole("dialog", { name: "History of cim-minimal" });
    await expect(history.getByRole("row", { name: /^Deployment d-/ })).toHaveCount(6);
    // Who deployed: the name the leaf's trusted list gives the key that signed the command.
    const row = history.getByRole("row", { name: new RegExp(`^Deployment ${first}`) });
    await expect(row.getByRole("cell", { name: "browser", exact: true })).toHaveAttribute("title", /^U[A-Z2-7]{55}$/);
    await history.getByRole("button", { name: `Roll back to ${first}` }).click();
    // It asks first (issue 18, point 6): the button of the question names the target again.
    await page.getByRole("dialog", { name: "Roll back cim-minimal?" }).getByRole("button", { name: `Roll back to ${first}` }).click();
    await expect(state(page)).toHaveText("succeeded");
    // The canvas holds the first deployment's design again: nothing is undeployed.
    await expect(page.locator("[data-undeployed]")).toHaveCount(0);
  });

  test("reload mid-deployment and a second tab show the same events, in order, without duplicates", async ({ page, context, stack, leaf }) => {
    fake(leaf, { "build.sleep": "3", "build.lines": "3000" });
    await openDesign(page, stack.url);
    const id = await deploy(page);
    await expect(panel(page).getByRole("listitem", { name: "Step build: running" })).toBeVisible();
    await page.reload();
    await instance(page).getByRole("button", { name: /^Latest deployment/ }).click();
    const other = await context.newPage();
    await other.goto(stack.url);
    await instance(other).getByRole("button", { name: /^Latest deployment/ }).click();
    for (const p of [page, other]) await expect(state(p)).toHaveText("succeeded");

    const events = await leaf.events(id);
    const lines = hubLogLines(events);
    expect(lines).toBeGreaterThan(3000);
    for (const p of [page, other]) {
      await expect(panel(p).locator("h2 + span")).toHaveText(id);
      expect(await shownTimeline(p)).toEqual(hubTimeline(events));
      await expect(panel(p).getByLabel("Log line count")).toHaveText(`${lines} lines`);
    }
  });

  test("a lost connection shows as such and resumes from the last event seen, without duplicates", async ({ page, stack, leaf }) => {
    fake(leaf, { "build.sleep": "4", "build.lines": "500" });
    await openDesign(page, stack.url);
    const id = await deploy(page);
    await expect(panel(page).getByRole("listitem", { name: "Step build: running" })).toBeVisible();
    // `alchemist up` starts the hub again after it dies; the leaf's executor keeps its events until then.
    process.kill(stack.hubPid(), "SIGKILL");
    await expect(panel(page).getByRole("status", { name: "Event stream" })).toContainText("Connection to the hub lost");
    await expect(panel(page).getByRole("status", { name: "Event stream" })).toBeHidden({ timeout: 30_000 });
    await expect(state(page)).toHaveText("succeeded", { timeout: 30_000 });
    const events = await leaf.events(id);
    expect(await shownTimeline(page)).toEqual(hubTimeline(events));
    await expect(panel(page).getByLabel("Log line count")).toHaveText(`${hubLogLines(events)} lines`);
  });

  test("a unit not active after switch turns its own node red and rolls back; Copy log copies the log", async ({ page, context, stack, leaf }) => {
    fake(leaf, { "inactive-units": "nats.service\n" });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await openDesign(page, stack.url);
    await deploy(page);
    await expect(state(page)).toHaveText("failed (rolled back)");
    await expect(node(page, "nats")).toHaveAttribute("data-deploy-state", "failed");
    await expect(node(page, "graph")).not.toHaveAttribute("data-deploy-state", "failed");
    await expect(panel(page).getByRole("alert", { name: "Error summary" })).toContainText("nats.service (failed)");

    await panel(page).getByRole("button", { name: "Copy log" }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    // Once for the activation, once for the rollback's switch-to-configuration (logged under health).
    expect(copied.split("activating the configuration...").length - 1).toBe(2);
  });
});

test("two instances keep the bar on one line; the picker puts the other instance in focus and opens its Deploy dialog", async ({ page, stack, leaf: _up }) => {
  // `leaf` is asked for only so that its executor is up: without it Deploy stays disabled.
  await openDesign(page, stack.url);
  const bar = page.getByRole("region", { name: "Deploy" });
  const oneInstance = (await bar.boundingBox())!.height;

  await page.getByRole("button", { name: "Add CIM instance (a NixOS host)" }).click();
  await page.getByLabel("Id", { exact: true }).fill("cim-two");
  // The added node is selected: its instance is in focus, the only one the bar shows.
  await expect(bar.getByRole("group", { name: /^Instance / })).toHaveCount(1);
  await expect(bar.getByRole("group", { name: "Instance cim-two" })).toBeVisible();
  expect((await bar.boundingBox())!.height).toBe(oneInstance);
  // The new host builds on the template's Hardware node too: without disks and a boot loader
  // it would be an error, and nothing deploys while the design has one.
  await page.getByRole("button", { name: "Fit View" }).click();
  await connect(page, "hardware", "cim-instance-1");

  await bar.getByRole("combobox", { name: "Instance in focus (2)" }).selectOption("cim-minimal");
  await expect(bar.getByRole("group", { name: /^Instance / })).toHaveCount(1);
  await instance(page).getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(deployDialog(page).getByLabel("Leaf")).toHaveValue(LEAF);
  await deployDialog(page).getByRole("button", { name: "Close" }).click();
  await expect(deployDialog(page)).toBeHidden();
});

test.describe("what the hub says is checked before it is shown", () => {
  test("a malformed event, another leaf's events and garbage in the registry are dropped; valid events and the leaves panel stay", async ({ page, stack, leaf }) => {
    fake(leaf, { "build.sleep": "3" });
    await openDesign(page, stack.url);
    const id = await deploy(page);
    await expect(panel(page).getByRole("listitem", { name: "Step build: running" })).toBeVisible();

    // Into the live deployment's subject, what a broken or hostile publisher sends.
    const js = jetstream(leaf.nc, { domain: "hub" });
    const base = { v: 1, deploymentId: id, ts: new Date().toISOString() };
    const forged = { type: "failed", error: { code: "E_STEP_FAILED", message: "forged" } };
    await js.publish(eventSubject(LEAF, id), JSON.stringify({ ...base, leafId: LEAF, seq: 900, type: "failed" }));
    await js.publish(eventSubject(LEAF, id), JSON.stringify({ ...base, leafId: LEAF, seq: 901, type: "step-log", step: "build", stream: "stderr" }));
    await js.publish(eventSubject(LEAF, id), "{ not json");
    await js.publish(eventSubject("intruder", id), JSON.stringify({ ...base, leafId: "intruder", seq: 902, ...forged }));
    await js.publish(eventSubject("intruder", id), JSON.stringify({ ...base, leafId: LEAF, seq: 903, ...forged }));
    // And into the registry: nothing, garbage, a record under another leaf's name, a summary that is no summary.
    const leaves = await new Kvm(js).open(LEAVES_BUCKET);
    const deployments = await new Kvm(js).open(DEPLOYMENTS_BUCKET);
    await leaves.put("ghost", "null");
    await leaves.put("junk", '{"leafId":');
    await leaves.put("impostor", JSON.stringify({ leafId: LEAF, hostname: "x", version: "0", instances: ["*"], status: "idle", currentDeploymentId: null, lastSeen: new Date().toISOString() }));
    await deployments.put("garbage", "[1,2,3]");

    await expect(state(page)).toHaveText("succeeded");
    // Exactly the executor's events are shown: none of the five above.
    const valid = (await leaf.events(id)).filter((e) => e.seq < 900);
    await expect.poll(() => shownTimeline(page)).toEqual(hubTimeline(valid));
    await expect(panel(page).getByLabel("Log line count")).toHaveText(`${hubLogLines(valid)} lines`);
    await expect(panel(page)).not.toContainText("forged");
    await expect(page.getByRole("region", { name: "Deploy", exact: true })).toContainText(/dropped|ignored/);

    await page.getByRole("button", { name: /^Leaves/ }).click();
    const list = page.getByRole("region", { name: "Leaves" });
    await expect(list.getByRole("row", { name: `Leaf ${LEAF}` })).toHaveCount(1);
    await expect(list.getByRole("row", { name: `Leaf ${LEAF}` })).toContainText("online");
    for (const key of ["ghost", "junk", "impostor"]) await expect(list.getByRole("row", { name: `Leaf ${key}` })).toHaveCount(0);
    // A null over the leaf's own entry takes it off the list until its next heartbeat puts it back.
    await leaves.put(LEAF, "null");
    await expect(list.getByRole("row", { name: `Leaf ${LEAF}` })).toContainText("online");
    await page.getByRole("button", { name: /^Leaves/ }).click();

    await instance(page).getByRole("button", { name: "History" }).click();
    await expect(page.getByRole("dialog", { name: "History of cim-minimal" })).toContainText(id);
    for (const key of ["ghost", "junk", "impostor"]) await leaves.delete(key);
    await deployments.delete("garbage");
  });

  test("a panel that fails says why and offers a way back; the rest of the page keeps working", async ({ page, stack, leaf: _up }) => {
    // The fault is injected at the browser's edge: a Date method the leaves panel calls in its
    // render throws while the page says so, as a browser bug or an extension might.
    await page.addInitScript(() => {
      const real = Date.prototype.toLocaleTimeString;
      Date.prototype.toLocaleTimeString = function (this: Date, ...args: Parameters<typeof real>) {
        if ((window as { breakTimes?: boolean }).breakTimes) throw new Error("toLocaleTimeString is broken");
        return real.apply(this, args);
      };
    });
    await openDesign(page, stack.url);
    await page.evaluate(() => ((window as { breakTimes?: boolean }).breakTimes = true));
    await page.getByRole("button", { name: /^Leaves/ }).click();
    const failed = page.getByRole("alert", { name: "Leaves failed" });
    await expect(failed).toContainText("Leaves could not be shown: toLocaleTimeString is broken");
    // Not a blank page: the canvas, the inspector and the bar are all still there and usable.
    // The Hardware node: the lowest on the canvas, clear of the alert under the bar.
    await page.locator('.react-flow__node[data-id="hardware"]').click();
    await expect(page.getByLabel("Root device")).toBeVisible();
    await failed.getByRole("button", { name: "Close" }).click();
    await expect(failed).toBeHidden();

    await page.evaluate(() => ((window as { breakTimes?: boolean }).breakTimes = false));
    await page.getByRole("button", { name: /^Leaves/ }).click();
    await expect(page.getByRole("region", { name: "Leaves" }).getByRole("row", { name: `Leaf ${LEAF}` })).toBeVisible();
    await page.getByRole("button", { name: /^Leaves/ }).click();

    await page.evaluate(() => ((window as { breakTimes?: boolean }).breakTimes = true));
    await page.getByRole("button", { name: /^Leaves/ }).click();
    await expect(failed).toBeVisible();
    await page.evaluate(() => ((window as { breakTimes?: boolean }).breakTimes = false));
    await failed.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("region", { name: "Leaves" }).getByRole("row", { name: `Leaf ${LEAF}` })).toBeVisible();
  });
});
