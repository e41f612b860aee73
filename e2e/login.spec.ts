import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, stackTest as test } from "./fixtures";
import { stackCreds } from "../tests/support/stack";

const indicator = (page: Page) => page.getByRole("status", { name: "Hub connection" });

test("the login link logs the browser in, leaves no secret in the address bar, and survives a reload and a hub restart", async ({ page, stack }) => {
  const secret = new URL(stack.loginUrl).hash.slice("#login=".length);
  const seed = /SU[A-Z2-7]{50,}/.exec(readFileSync(stackCreds(stack.stateDir, "browser"), "utf8"))![0];
  await page.goto(stack.loginUrl);
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toContainText("as browser");

  // Gone from the address bar (replaced, so not one step back in the history either) and the page.
  expect(page.url()).toBe(stack.url);
  expect(await page.evaluate(() => location.href)).not.toContain("login");
  const html = await page.content();
  expect(html).not.toContain(secret);
  expect(html).not.toContain(seed);
  // Kept under one key of its own; no other stored value (the design, the design list) holds it.
  const others = await page.evaluate(() => Object.keys(localStorage).filter((k) => k !== "alchemist.hubLogin").map((k) => localStorage.getItem(k) ?? ""));
  for (const value of others) expect(value).not.toContain(seed);

  await page.reload();
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toContainText("as browser");

  const before = stack.hubPid();
  process.kill(before, "SIGKILL");
  await expect(indicator(page)).not.toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  expect(stack.hubPid()).not.toBe(before);

  // The secret is printed once, on up's terminal, and is in none of its logs.
  for (const log of ["hub.log", "executor.log"]) {
    const text = readFileSync(`${stack.stateDir}/${log}`, "utf8");
    expect(text).not.toContain(secret.slice(0, 40));
    expect(text).not.toContain(seed);
  }
});

test("the login link opened in a tab that already shows the app logs it in and leaves the address bar at once", async ({ page, stack }) => {
  await page.goto(stack.url);
  await expect(indicator(page)).toHaveAttribute("data-state", "unauthorized");
  const loads: string[] = [];
  page.on("load", () => loads.push(page.url()));
  const secret = new URL(stack.loginUrl).hash.slice("#login=".length);
  const entries = await page.evaluate(() => history.length);
  // Only the fragment changes: the browser fires hashchange and loads nothing.
  await page.goto(stack.loginUrl);
  await expect.poll(() => page.evaluate(() => location.href)).toBe(stack.url);
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toContainText("as browser");
  expect(loads).toEqual([]);
  await expect(page.getByRole("alert", { name: "Not logged in" })).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  // The link's entry in the tab's history was replaced: Back leads to the page before, without the secret.
  expect(await page.evaluate(() => history.length)).toBe(entries + 1);
  await page.goBack();
  expect(await page.evaluate(() => location.href)).not.toContain("login");
});

test("without the login the app says it is not logged in, and how to log in", async ({ page, stack }) => {
  await page.goto(stack.url);
  await expect(indicator(page)).toHaveAttribute("data-state", "unauthorized");
  await expect(indicator(page)).toContainText("Not logged in");
  const notice = page.getByRole("alert", { name: "Not logged in" });
  await expect(notice).toContainText("takes no connection without credentials");
  await expect(notice).toContainText("login link");
  await expect(notice).toContainText("alchemist up");
  await expect(notice).toContainText("Hub settings");
  await notice.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("form", { name: "Hub settings" })).toContainText("Not logged in");
});

test("hub settings log in with a .creds file (uploaded or pasted) and log out", async ({ page, stack }) => {
  await page.goto(stack.url);
  await expect(indicator(page)).toHaveAttribute("data-state", "unauthorized");
  await page.getByRole("button", { name: "Hub settings" }).click();
  const form = page.getByRole("form", { name: "Hub settings" });

  // A file that is not creds is refused with the reason.
  await form.getByLabel("Credentials (.creds)").fill("not a creds file");
  await form.getByRole("button", { name: "Connect" }).click();
  await expect(form.getByRole("alert")).toContainText("not a NATS .creds file");

  // Credentials the hub does not know are refused, and the app says so (a user and password, a token).
  await form.getByLabel("Log in with").selectOption("a user and password");
  await form.getByLabel("User", { exact: true }).fill("mallory");
  await form.getByLabel("Password").fill("guess");
  await form.getByRole("button", { name: "Connect" }).click();
  await expect(indicator(page)).toContainText("Login refused");
  await expect(page.getByRole("alert", { name: "Login refused" })).toContainText("refused the credentials of mallory");
  await page.getByRole("button", { name: "Hub settings" }).click();
  await form.getByLabel("Log in with").selectOption("a token");
  await form.getByLabel("Token").fill("guess");
  await form.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByRole("alert", { name: "Login refused" })).toContainText("refused the credentials");

  await page.getByRole("button", { name: "Hub settings" }).click();
  await form.getByLabel("Log in with").selectOption("a .creds file");
  await form.getByLabel("Upload .creds file").setInputFiles(stackCreds(stack.stateDir, "browser"));
  await expect(form.getByLabel("Credentials (.creds)")).toHaveValue(/BEGIN NATS USER JWT/);
  await form.getByRole("button", { name: "Connect" }).click();
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toContainText("as browser");

  await page.getByRole("button", { name: "Hub settings" }).click();
  await expect(form.getByLabel("Login")).toContainText("Logged in as browser");
  await form.getByRole("button", { name: "Log out" }).click();
  await expect(indicator(page)).toHaveAttribute("data-state", "unauthorized");
  await page.reload();
  await expect(indicator(page)).toHaveAttribute("data-state", "unauthorized");

  // Pasted: the text of the admin's file logs in as admin.
  await page.getByRole("button", { name: "Hub settings" }).click();
  await form.getByLabel("Credentials (.creds)").fill(readFileSync(stackCreds(stack.stateDir, "admin"), "utf8"));
  await form.getByRole("button", { name: "Connect" }).click();
  await expect(indicator(page)).toContainText("as admin");
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
});

test("a ?hub= naming another hub asks first; Cancel stays on the page's own hub", async ({ page, stack }) => {
  await page.goto(stack.loginUrl);
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  const elsewhere = "ws://127.0.0.1:9";
  await page.goto(`${stack.url}?hub=${encodeURIComponent(elsewhere)}`);
  const ask = page.getByRole("dialog", { name: "Connect to another hub?" });
  await expect(ask).toContainText(elsewhere);
  await expect(indicator(page)).not.toHaveAttribute("data-state", "connected");
  await ask.getByRole("button", { name: "Cancel" }).click();
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toContainText(`ws://127.0.0.1:${stack.ports.websocket}`);
  expect(page.url()).toBe(stack.url);
});
