import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { deploying } from "./deploying";

// Issue 18, points 5 to 10 and the picker of 13: the deploy views at the sizes people use.
const LEAF = "leaf-views";
const test = testWithLeaf(LEAF);
const { openDesign } = deploying(LEAF);

test("an instance whose Id is empty is named as the problem, not a missing instance", async ({ page, stack, leaf: _up }) => {
  await openDesign(page, stack.url);
  const bar = page.getByRole("region", { name: "Deploy" });
  await page.getByLabel("Id", { exact: true }).fill("");
  await expect(bar).toContainText("The CIM instance has no Id: set its Id in the inspector to deploy it.");
  await expect(bar).not.toContainText("Add a CIM instance");
});

test("the instance picker lists an id once, even when two instances share it", async ({ page, stack, leaf: _up }) => {
  await openDesign(page, stack.url);
  const bar = page.getByRole("region", { name: "Deploy" });
  for (let i = 0; i < 2; i++) {
    await page.getByRole("button", { name: "Add CIM instance (a NixOS host)" }).click();
    await page.getByLabel("Id", { exact: true }).fill("cim-two");
  }
  const picker = bar.getByRole("combobox", { name: /^Instance in focus/ });
  await expect(picker.getByRole("option")).toHaveText(["cim-minimal", "cim-two"]);
  await expect(picker).toHaveAccessibleName("Instance in focus (2)");
});
