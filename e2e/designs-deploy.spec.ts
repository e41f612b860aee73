import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { deploying, fake, instance, state } from "./deploying";
import { onHub } from "./people";

// Issue 12: a deployment records the design revision it was made from, and the history links to it.
const LEAF = "leaf-designs";
const test = testWithLeaf(LEAF);
const { openDesign, deploy } = deploying(LEAF);

test("a deployment records the hub revision of the design it was made from; its history row opens that design's versions, which name it", async ({ page, stack, leaf }) => {
  await openDesign(page, stack.url);
  await onHub(page, "Minimal CIM");
  fake(leaf);
  const id = await deploy(page);
  await expect(state(page)).toHaveText("succeeded");

  await instance(page).getByRole("button", { name: "History" }).click();
  const row = page.getByRole("dialog", { name: "History of cim-minimal" }).getByRole("row", { name: `Deployment ${id}` });
  await expect(row).toContainText(/from design revision \d+/);
  const revision = /from design revision (\d+)/.exec((await row.textContent())!)![1]!;
  await row.getByRole("button", { name: `Versions of the design of ${id}` }).click();
  const versions = page.getByRole("dialog", { name: "Versions of Minimal CIM" });
  await expect(versions.getByRole("row", { name: `Revision ${revision}`, exact: true })).toContainText(`cim-minimal: ${id} (succeeded)`);
});
