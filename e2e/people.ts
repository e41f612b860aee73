import type { Browser, Locator, Page, WebSocketRoute } from "@playwright/test";
import { expect } from "./fixtures";
import { runCli, type RunningStack } from "../tests/support/stack";

// People of a team on one hub, each in a browser context of their own (their own storage).

/** The login link `alchemist creds --person` prints for `name`, as an admin hands it out. */
export async function personLink(stack: RunningStack, name: string): Promise<string> {
  const made = await runCli(["creds", "--person", name, "--state-dir", stack.stateDir, "--app-url", stack.url]);
  if (made.code !== 0) throw new Error(`alchemist creds --person ${name} failed:\n${made.stderr}`);
  return /log in: (\S+)/.exec(made.stdout)![1]!;
}

/**
 * A page of `name`'s own, logged in by their link. Its WebSocket to the hub runs through a
 * route that can hold what the page sends (`hold`) and pass it on later (`release`), so a test
 * decides that this person's save reaches the hub after another's: the hub, not the test,
 * then says who saved first.
 */
export async function person(browser: Browser, link: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let holding = false;
  // The page's current connection: what a closed one still held is lost with it, as a closed tab's would be.
  let current: { hub: WebSocketRoute; held: (string | Buffer)[] } | undefined;
  await page.routeWebSocket(/.*/, (ws) => {
    const connection = { hub: ws.connectToServer(), held: [] as (string | Buffer)[] };
    current = connection;
    ws.onMessage((m) => (holding ? connection.held.push(m) : connection.hub.send(m)));
  });
  await page.goto(link);
  await expect(page.getByRole("status", { name: "Hub connection" })).toHaveAttribute("data-state", "connected");
  return {
    page,
    close: () => context.close(),
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      if (current) for (const m of current.held.splice(0)) current.hub.send(m);
    },
  };
}

export type Person = Awaited<ReturnType<typeof person>>;

/** Runs `body` with a page for each of `names`, logged in as them, and closes them all after (a person may be closed before). */
export async function withPeople<const N extends readonly string[]>(browser: Browser, stack: RunningStack, names: N, body: (people: { -readonly [K in keyof N]: Person }) => Promise<void>): Promise<void> {
  const people: Person[] = [];
  try {
    for (const name of names) people.push(await person(browser, await personLink(stack, name)));
    await body(people as { -readonly [K in keyof N]: Person });
  } finally {
    for (const p of people) await p.close();
  }
}

export async function openDesignList(page: Page) {
  await page.getByRole("button", { name: "Designs", exact: true }).click();
  const list = page.getByRole("dialog", { name: "Designs" });
  await expect(list).toBeVisible();
  return list;
}

export const designRow = (list: Locator, name: string) => list.getByRole("listitem", { name, exact: true });

/** Opens design `name` from the list (copied in from the hub, maybe). */
export async function openFromList(page: Page, name: string) {
  const list = await openDesignList(page);
  await list.getByRole("button", { name: `Open ${name}`, exact: true }).click();
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText(name);
}

/** Waits until the design list says `name` is on the hub with nothing owed, and closes the list. */
export async function onHub(page: Page, name: string) {
  const list = await openDesignList(page);
  await expect(designRow(list, name)).toContainText(/revision \d+ on the hub/);
  await expect(designRow(list, name)).not.toContainText("not on the hub yet");
  await list.getByRole("button", { name: "Close" }).click();
}

/** Starts a design from the Minimal template under a name of its own (other tests' designs are on the same hub), saved to the hub. */
export async function startNamed(page: Page, name: string) {
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await renameOpen(page, name);
}

/** Gives the open Minimal CIM design a name of its own, and waits until the hub has it. */
export async function renameOpen(page: Page, name: string) {
  const list = await openDesignList(page);
  const open = list.getByRole("listitem", { name: "Minimal CIM", exact: true }).filter({ hasText: "(open)" });
  await open.getByRole("button", { name: "Rename Minimal CIM" }).click();
  // The row is a form now (no "(open)" in it): its text box is the only one.
  await list.getByRole("textbox", { name: "New name for Minimal CIM" }).fill(name);
  await list.getByRole("button", { name: "Save name" }).click();
  await list.getByRole("button", { name: "Close" }).click();
  await onHub(page, name);
}

/** A node's field in the inspector (the node selected first). */
export async function field(page: Page, nodeId: string, label: string) {
  await page.locator(`.react-flow__node[data-id="${nodeId}"]`).click();
  return page.getByLabel(label, { exact: true });
}
