import { expect, test } from "./fixtures";

// Issue 13, room to work: the palette, the inspector and the output panel can each be hidden
// and resized, with the mouse or the keyboard, and the browser keeps what the person chose.

const canvasBox = async (page: import("@playwright/test").Page) => (await page.getByRole("main", { name: "Design canvas" }).boundingBox())!;

test("each panel hides and shows again from its strip, giving the canvas its room; it keeps what was typed in it", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  const before = await canvasBox(page);
  await page.getByRole("searchbox", { name: "Search node kinds" }).fill("redis");

  await page.getByRole("button", { name: "Hide the palette" }).click();
  await expect(page.getByRole("complementary", { name: "Palette" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Show the palette" })).toHaveAttribute("aria-expanded", "false");
  await page.getByRole("button", { name: "Hide the inspector" }).click();
  await page.getByRole("button", { name: "Hide the output panel" }).click();
  const roomy = await canvasBox(page);
  expect(roomy.width).toBeGreaterThan(before.width + 240 + 320 - 10);
  expect(roomy.height).toBeGreaterThan(before.height + 288 - 10);

  await page.getByRole("button", { name: "Show the palette" }).click();
  await expect(page.getByRole("complementary", { name: "Palette" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Hide the palette" })).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("searchbox", { name: "Search node kinds" })).toHaveValue("redis");
});

test("a separator resizes its panel with the arrow keys (Shift for bigger steps, Home and End), within bounds; the sizes survive a reload", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  const palette = page.getByRole("separator", { name: "Resize the palette" });
  const inspector = page.getByRole("separator", { name: "Resize the inspector" });
  const output = page.getByRole("separator", { name: "Resize the output panel" });
  await expect(palette).toHaveAttribute("aria-valuenow", "240");

  await palette.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Shift+ArrowRight");
  await expect(palette).toHaveAttribute("aria-valuenow", String(240 + 16 + 64));
  expect((await page.getByRole("complementary", { name: "Palette" }).boundingBox())!.width).toBeCloseTo(320, -1);
  await page.keyboard.press("End");
  await expect(palette).toHaveAttribute("aria-valuenow", await palette.getAttribute("aria-valuemax") ?? "");

  // The inspector is on the right: ArrowLeft widens it.
  await inspector.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(inspector).toHaveAttribute("aria-valuenow", "336");
  await output.focus();
  await page.keyboard.press("Home");
  await expect(output).toHaveAttribute("aria-valuenow", await output.getAttribute("aria-valuemin") ?? "");

  await page.reload();
  await expect(page.getByRole("separator", { name: "Resize the palette" })).toHaveAttribute("aria-valuenow", "480");
  await expect(page.getByRole("separator", { name: "Resize the inspector" })).toHaveAttribute("aria-valuenow", "336");
  await expect(page.getByRole("separator", { name: "Resize the output panel" })).toHaveAttribute("aria-valuenow", "120");
});

test("a separator follows the mouse", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  const separator = page.getByRole("separator", { name: "Resize the inspector" });
  const box = (await separator.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.7);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 100, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  const now = Number(await separator.getAttribute("aria-valuenow"));
  expect(now).toBeGreaterThan(400);
  expect(now).toBeLessThan(440);
});
