import { expect, test } from "./fixtures";

/**
 * `alchemist up` serves the app under a strict Content-Security-Policy (no inline script, no
 * framing). These check that the app does all it needs under it: the compile worker, the lazily
 * loaded editor, the hub's WebSocket, and that the browser itself reports no violation.
 */
test("the app works under its Content-Security-Policy: compile worker, Nix preview, hub WebSocket, no violation", async ({ page, stack }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { violations?: string[] }).violations ??= [];
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(stack.url);
  expect(response!.headers()["content-security-policy"]).toContain("script-src 'self'");

  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  // Compiled: the only problem is the warning that its Hardware node is a placeholder.
  await expect(page.getByRole("list", { name: "Problems" })).toContainText("placeholder values");
  await page.getByRole("tab", { name: "Nix preview" }).click();
  await expect(page.getByRole("tabpanel").locator(".cm-content")).toContainText("nixosConfigurations");
  await expect(page.getByRole("status", { name: "Hub connection" })).toHaveAttribute("data-state", "connected");

  expect(await page.evaluate(() => (window as unknown as { violations?: string[] }).violations ?? [])).toEqual([]);
  expect(violations).toEqual([]);
});

test("no other site can frame the app", async ({ page, stack }) => {
  // A page of another origin (a data: URL) frames the app; the browser must not show it there.
  await page.goto(`data:text/html,<iframe title="framed" src="${stack.url}"></iframe>`);
  // Chromium puts its error page in place of a document whose frame-ancestors forbid the framer.
  await expect.poll(() => page.frames().map((f) => f.url())).toContain("chrome-error://chromewebdata/");
  await expect(page.frameLocator('iframe[title="framed"]').locator("#root")).toHaveCount(0);
});
