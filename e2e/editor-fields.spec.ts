import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { node, startFrom } from "./canvas";

const sidePanel = (page: Page) => page.getByRole("complementary", { name: "Side panel" });

const startMinimal = (page: Page, url: string) => startFrom(page, url, "Minimal CIM", "host");

test("a number field keeps exactly what is typed, empty included, and shows a problem until it is valid; a reload keeps it", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  await node(page, "nats").click();
  const port = sidePanel(page).getByLabel("Client port");
  const problem = sidePanel(page).getByRole("alert").filter({ hasText: "whole number from 1 to 65535" });
  await port.fill("5000");
  await expect(port).toHaveValue("5000");

  // Cleared at once: empty, not the default; then what is typed, not the default and it.
  await port.press("Control+a");
  await port.press("Backspace");
  await expect(port).toHaveValue("");
  await expect(port).toHaveAttribute("aria-invalid", "true");
  await expect(problem).toBeVisible();
  await port.pressSequentially("6000");
  await expect(port).toHaveValue("6000");
  await expect(port).toHaveAttribute("aria-invalid", "false");
  await expect(problem).toHaveCount(0);

  // Cleared one Backspace at a time.
  for (let i = 0; i < 4; i++) await port.press("Backspace");
  await expect(port).toHaveValue("");
  await expect(problem).toBeVisible();
  await port.pressSequentially("7000");
  await expect(port).toHaveValue("7000");

  // Left empty, the design holds the empty field (and its problem), not a value nobody typed.
  await port.fill("");
  await expect(problem).toBeVisible();
  await page.reload();
  await node(page, "nats").click();
  await expect(sidePanel(page).getByLabel("Client port")).toHaveValue("");
  await expect(problem).toBeVisible();
  await expect(page.getByRole("list", { name: "Problems" })).toContainText("whole number from 1 to 65535");
});

test("map rows keep their identity: retyping a name never merges two rows, a duplicate name is a problem on its row, Add never reuses a name", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  await page.getByRole("button", { name: "Add Custom service" }).click();
  const panel = sidePanel(page);
  await expect(panel.getByRole("heading", { name: "Custom service" })).toBeVisible();
  const add = panel.getByRole("button", { name: "Add to environment" });
  const name = (i: number) => panel.getByRole("textbox", { name: `Environment name ${i}` });
  const value = (i: number) => panel.getByRole("textbox", { name: `Environment value ${i}` });
  const row = (i: number) => panel.getByRole("group", { name: `Environment row ${i}` });

  await add.click();
  await name(1).fill("PA");
  await value(1).fill("first");
  await add.click();
  await name(2).fill("name2");
  await value(2).fill("second");

  // Typing PATH over name2 passes through PA, the first row's name.
  await name(2).press("Control+a");
  await name(2).press("Backspace");
  await name(2).pressSequentially("PA");
  await expect(row(2).getByRole("alert")).toContainText("PA");
  await expect(row(1).getByRole("alert")).toHaveCount(0);
  await expect(name(1)).toHaveValue("PA");
  await expect(value(1)).toHaveValue("first");
  await expect(value(2)).toHaveValue("second");
  await name(2).pressSequentially("TH");
  await expect(name(2)).toHaveValue("PATH");
  await expect(value(2)).toHaveValue("second");
  await expect(name(1)).toHaveValue("PA");
  await expect(value(1)).toHaveValue("first");
  await expect(row(2).getByRole("alert")).toHaveCount(0);

  // Removing the first row and adding one leaves the other row as it was.
  await panel.getByRole("button", { name: "Remove Environment PA", exact: true }).click();
  await expect(name(1)).toHaveValue("PATH");
  await add.click();
  await expect(name(1)).toHaveValue("PATH");
  await expect(value(1)).toHaveValue("second");
  await expect(name(2)).toHaveValue("");
  await expect(value(2)).toHaveValue("");
  await name(2).fill("HOME");
  await value(2).fill("/var/lib/x");
  await expect(value(1)).toHaveValue("second");
  await expect(panel.getByRole("group", { name: /^Environment row/ }).getByRole("alert")).toHaveCount(0);
});

test("a duplicate instance id is flagged on the field just edited as well as on the other instance", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  await page.getByRole("button", { name: "Add CIM instance (a NixOS host)" }).click();
  const id = sidePanel(page).getByLabel("Id", { exact: true });
  await expect(id).toHaveValue("cim-instance-1");
  await id.fill("cim-minimal");
  await expect(id).toHaveAttribute("aria-invalid", "true");
  await expect(sidePanel(page).getByRole("alert").filter({ hasText: "instance id cim-minimal is also used by node host" })).toBeVisible();

  await node(page, "host").click();
  await expect(sidePanel(page).getByLabel("Id", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(sidePanel(page).getByRole("alert").filter({ hasText: "instance id cim-minimal is also used by node cim-instance-1" })).toBeVisible();
});
