import { rmSync } from "node:fs";
import { join } from "node:path";
import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { deploying, fake, panel, state } from "./deploying";
import { fakeMachine } from "../tests/support/fakeMachine";

// Issue 15: a rollback that itself fails is never shown as rolled back; the Leaves panel says the
// leaf needs a person and which system it is on.

const LEAF = "leaf-attention";
const test = testWithLeaf(LEAF);
const { openDesign, deploy } = deploying(LEAF);

test("a rollback that fails ends failed, and the Leaves panel says the leaf needs attention, naming the system it is on", async ({ page, stack, leaf }) => {
  fake(leaf);
  const machine = fakeMachine(leaf.executor.control);
  const before = machine.state();
  await openDesign(page, stack.url);
  const id = await deploy(page, { mode: "manual", timeout: "3" });
  await expect(panel(page).getByRole("button", { name: "Confirm" })).toBeVisible();
  // The system that ran before is gone from the store: there is nothing to switch back to.
  rmSync(join(machine.root, "nix/store", before.running, "bin/switch-to-configuration"));
  await expect(state(page)).toHaveText("failed");
  const on = machine.state().running;
  await expect(panel(page).getByRole("alert", { name: "Error summary" })).toContainText(on);

  await page.getByRole("button", { name: /^Leaves/ }).click();
  const attention = page.getByRole("region", { name: "Leaves" }).getByRole("row", { name: `Leaf ${LEAF} needs attention` });
  // The leaf's entry says so at its next heartbeat (every 5 s).
  await expect(attention).toContainText("Needs attention", { timeout: 15_000 });
  await expect(attention).toContainText(id);
  await expect(attention).toContainText(on);
});
