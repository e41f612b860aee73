import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { deployDialog, deploying, fake, instance, panel, state } from "./deploying";

// Issue 13: every text and control meets WCAG 2.1 AA contrast in both themes, on the main views.
const LEAF = "leaf-contrast";
const test = testWithLeaf(LEAF);
const { openDesign, deploy } = deploying(LEAF);

/** The WCAG 2.0 and 2.1 AA rules (color-contrast among them) over the page as it is; what fails, said per element. */
async function aaViolations(page: Page, within?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page }).withTags(["wcag2aa", "wcag21aa"]);
  const { violations } = await (within ? axe.include(within) : axe).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ")}`));
}

const theme = (page: Page) => page.locator("html").getAttribute("data-theme");

for (const scheme of ["light", "dark"] as const) {
  test(`${scheme}, following the system: the editor, the Deploy dialog with its review, the deployment and History pass AA`, async ({ page, stack, leaf }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1440, height: 900 });
    fake(leaf);
    await openDesign(page, stack.url);
    expect(await theme(page)).toBe(scheme);
    // The editor: a node in the inspector, its problems, then the Nix preview.
    await expect(page.getByRole("list", { name: "Problems" })).toContainText("placeholder values");
    expect(await aaViolations(page)).toEqual([]);
    await page.getByRole("tab", { name: "Nix preview" }).click();
    await expect(page.getByRole("tabpanel").locator(".cm-content")).toContainText("nixosConfigurations");
    expect(await aaViolations(page)).toEqual([]);

    // The deployment view, live then finished.
    const first = await deploy(page);
    await expect(state(page)).toHaveText("succeeded");
    expect(await aaViolations(page)).toEqual([]);
    await panel(page).getByRole("button", { name: "Close deployment" }).click();
    // The canvas with each node's deployment state on its card.
    await expect(page.locator('.react-flow__node[data-id="nats"]')).toContainText("active");
    expect(await aaViolations(page)).toEqual([]);

    // The Leaves panel, its rows of state chips.
    await page.getByRole("button", { name: /^Leaves/ }).click();
    await expect(page.getByRole("region", { name: "Leaves" }).getByRole("row", { name: `Leaf ${LEAF}` })).toContainText("online");
    expect(await aaViolations(page, '[aria-label="Leaves"]')).toEqual([]);
    await page.getByRole("button", { name: /^Leaves/ }).click();

    // The review of a change: added, removed and context lines of a diff.
    await page.locator('.react-flow__node[data-id="nats"]').click();
    await page.getByLabel("Client port").fill("4333");
    await instance(page).getByRole("button", { name: "Deploy", exact: true }).click();
    await deployDialog(page).getByRole("button", { name: "Review" }).click();
    await expect(deployDialog(page).getByRole("region", { name: "Review" })).toContainText(`Compared with ${first}`);
    expect(await aaViolations(page)).toEqual([]);
    await deployDialog(page).getByRole("button", { name: "Close" }).click();

    const history = page.getByRole("dialog", { name: "History of cim-minimal" });
    await instance(page).getByRole("button", { name: "History" }).click();
    await expect(history.getByRole("button", { name: `Open ${first}` })).toBeVisible();
    expect(await aaViolations(page)).toEqual([]);
  });
}

test("the theme follows the system live until the person picks one, and the pick outlasts a reload", async ({ page, stack }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  const picker = page.getByRole("combobox", { name: "Theme" });
  const canvas = page.locator(".react-flow");
  await expect(picker).toHaveValue("system");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(canvas).toHaveClass(/\bdark\b/);

  await picker.selectOption("light");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(canvas).toHaveClass(/\blight\b/);
  await page.reload();
  await expect(picker).toHaveValue("light");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");

  await picker.selectOption("system");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await picker.selectOption("dark");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.locator("body")).toHaveCSS("color-scheme", "dark");
});
