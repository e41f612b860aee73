import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { deploying, fake, instance, state } from "./deploying";
import { onHub, renameOpen } from "./people";

// Issue 12: a deployment records the design revision it was made from, and the history links to it.
const LEAF = "leaf-designs";
const test = testWithLeaf(LEAF);
const { openDesign, deploy } = deploying(LEAF);

test("a deployment records the hub revision of the design it was made from; its history row opens that design's versions, which name it", async ({ page, stack, leaf }) => {
  await openDesign(page, stack.url);
  await renameOpen(page, "Deployed design");
  fake(leaf);
  const id = await deploy(page);
  await expect(state(page)).toHaveText("succeeded");

  await instance(page).getByRole("button", { name: "History" }).click();
  const history = page.getByRole("dialog", { name: "History of cim-minimal" });
  const row = history.getByRole("row", { name: `Deployment ${id}` });
  await expect(row).toContainText(/from design revision \d+/);
  const revision = /from design revision (\d+)/.exec((await row.textContent())!)![1]!;
  await row.getByRole("button", { name: `Versions of the design of ${id}` }).click();
  const versions = page.getByRole("dialog", { name: "Versions of Deployed design" });
  await expect(versions.getByRole("row", { name: `Revision ${revision}`, exact: true })).toContainText(`cim-minimal: ${id} (succeeded)`);

  // Compared with what is deployed on the instance: the revision it was made from is the same, node for node.
  await versions.getByRole("checkbox", { name: `Compare revision ${revision}` }).check();
  await versions.getByLabel("Deployed instance").selectOption("cim-minimal");
  const against = versions.getByRole("region", { name: "Compared with a deployment" });
  await expect(against).toContainText("No node differs.");
  await versions.getByRole("button", { name: "Close" }).click();
  await history.getByRole("button", { name: "Close" }).click();

  // Changed since: the comparison names the node.
  await page.getByRole("button", { name: "Close deployment" }).click();
  await page.locator('.react-flow__node[data-id="graph"]').click();
  await page.getByLabel("Max nodes", { exact: true }).fill("4242");
  await onHub(page, "Deployed design");
  await instance(page).getByRole("button", { name: "History" }).click();
  await row.getByRole("button", { name: `Versions of the design of ${id}` }).click();
  await versions.getByLabel("Deployed instance").selectOption("cim-minimal");
  await expect(against.getByRole("row", { name: "Node graph" })).toContainText("maxNodes: 4242");
});
