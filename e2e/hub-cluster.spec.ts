import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { deploying, fake, panel, state } from "./deploying";
import { freePortRuns, startStack, type RunningStack } from "../tests/support/stack";
import { describeEvent, type DeployEvent } from "../src/core/protocol";

// Issue 17: the browser follows a deployment across the death of the hub member it is
// connected to, without a reload: the page knows every member of the local cluster.

const LEAF = "leaf-cluster";
const MEMBERS = 3;
let ports: Awaited<ReturnType<typeof freePortRuns>>;

const test = testWithLeaf(LEAF).extend<{}, { stack: RunningStack }>({
  stack: [
    async ({}, use) => {
      ports = await freePortRuns(MEMBERS);
      const stack = await startStack({ ports, args: ["--hub-nodes", String(MEMBERS)], timeoutMs: 90_000 });
      await use(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});
const { openDesign, deploy } = deploying(LEAF);

const shownTimeline = (page: Page) => panel(page).getByRole("list", { name: "Events", includeHidden: true }).locator("li").allTextContents();
const hubTimeline = (events: DeployEvent[]) => events.flatMap((e) => (describeEvent(e) === null ? [] : [`#${e.seq} ${describeEvent(e)}`]));

/** The member (0-based) the page's WebSocket connection is on, from each member's /connz. */
async function browsersMember(): Promise<number> {
  for (let i = 0; i < MEMBERS; i++) {
    const connz = (await (await fetch(`http://127.0.0.1:${ports.monitor + i}/connz`)).json()) as { connections?: { name?: string }[] };
    if (connz.connections?.some((c) => c.name === "alchemist-web")) return i;
  }
  throw new Error("the page is connected to no member");
}

test("the member the browser is connected to dies mid-deployment: the page reconnects to another and the view ends as the hub has it", async ({ page, stack, leaf }) => {
  fake(leaf, { "build.sleep": "4", "build.lines": "200" });
  await openDesign(page, stack.url);
  const id = await deploy(page);
  await expect(panel(page).getByRole("listitem", { name: "Step build: running" })).toBeVisible();

  const member = await browsersMember();
  const pid = Number(readFileSync(join(stack.stateDir, `nats-server${member === 0 ? "" : `-${member + 1}`}.pid`), "utf8").trim());
  process.kill(pid, "SIGKILL");

  await expect(page.getByRole("status", { name: "Hub connection" })).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await expect(state(page)).toHaveText("succeeded", { timeout: 60_000 });
  expect(await browsersMember()).not.toBe(member);
  const events = await leaf.events(id);
  expect(await shownTimeline(page)).toEqual(hubTimeline(events));
});
