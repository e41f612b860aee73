import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";

const LEAF = "leaf-fields";
// A leaf beside the stack, so the Deploy button opens its dialog. Nothing is deployed.
const test = testWithLeaf(LEAF);

test("the confirmation timeout keeps what is typed, empty included, and blocks Deploy until it is valid", async ({ page, stack, leaf: _leaf }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await page.locator('.react-flow__node[data-id="host"]').click();
  await page.getByLabel("Leaf executor").fill(LEAF);
  await page.getByRole("group", { name: "Instance cim-minimal" }).getByRole("button", { name: "Deploy", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Deploy cim-minimal" });
  await expect(dialog.getByLabel("Leaf")).toHaveValue(LEAF);
  const timeout = dialog.getByLabel("Confirmation timeout (seconds)");
  const send = dialog.getByRole("button", { name: "Deploy", exact: true });
  await expect(send).toBeEnabled();

  await timeout.press("Control+a");
  await timeout.press("Backspace");
  await expect(timeout).toHaveValue("");
  await expect(timeout).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByRole("alert")).toContainText("whole number of seconds from 1 to");
  await expect(send).toBeDisabled();

  await timeout.pressSequentially("30");
  await expect(timeout).toHaveValue("30");
  await expect(timeout).toHaveAttribute("aria-invalid", "false");
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await expect(dialog).toContainText("within 30 s");
  await expect(send).toBeEnabled();

  await timeout.pressSequentially("x");
  await expect(timeout).toHaveValue("30x");
  await expect(send).toBeDisabled();
});
