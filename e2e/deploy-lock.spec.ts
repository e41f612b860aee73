import { readFileSync } from "node:fs";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { strFromU8, unzipSync } from "fflate";
import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { designFile, importDesign } from "./canvas";
import { deployDialog, deploying, fake, instance, panel, state } from "./deploying";
import { FLAKES_BUCKET, deploymentKey } from "../src/core/protocol";

const LEAF = "leaf-lock-e2e";
const test = testWithLeaf(LEAF);
const { deploy } = deploying(LEAF);

/** A flake.lock as Nix writes it, nixpkgs pinned at `rev`. */
const lock = (rev: string) =>
  `${JSON.stringify({ nodes: { nixpkgs: { locked: { lastModified: 1, narHash: "sha256-A=", owner: "NixOS", repo: "nixpkgs", rev, type: "github" }, original: { owner: "NixOS", ref: "nixos-24.11", repo: "nixpkgs", type: "github" } }, root: { inputs: { nixpkgs: "nixpkgs" } } }, root: "root", version: 7 }, null, 2)}\n`;

/** The Minimal template pointed at the test's leaf, with `lockText` kept for its instance. */
function lockedDesign(lockText: string) {
  const design = JSON.parse(readFileSync("templates/minimal.json", "utf8")) as { name: string; nodes: { id: string; config: Record<string, unknown> }[] };
  for (const n of design.nodes) if (n.id === "host") n.config = { ...n.config, leafId: LEAF };
  return designFile("locked.json", { ...design, locks: { "cim-minimal": lockText } });
}

test("a kept flake.lock is reviewed, sent and stored; another one shows the input changes; Update inputs reaches the leaf; the export carries the lock", async ({ page, stack, leaf }) => {
  fake(leaf);
  const [a, b] = [lock("a".repeat(40)), lock("b".repeat(40))];
  await page.goto(stack.url);
  await importDesign(page, lockedDesign(a));
  await expect(instance(page)).toBeVisible();

  const first = await deploy(page, {
    review: async (review) => {
      await expect(review).toContainText("Inputs pinned by the kept flake.lock (1 input).");
      await expect(review.getByRole("listitem", { name: "flake.lock added" })).toBeVisible();
    },
  });
  await expect(state(page)).toHaveText("succeeded");
  // The leaf has no nix: it says so, and deploys the lock as sent. The log draws only the lines
  // in view, and the build's lines have pushed that one above it: it is searched for, as a person would.
  await panel(page).getByRole("searchbox", { name: "Search log" }).fill("flake.lock");
  await expect(panel(page).getByRole("log", { name: "Deployment log" })).toContainText("flake.lock: used as sent");
  const flakes = await new Kvm(jetstream(leaf.nc, { domain: "hub" })).open(FLAKES_BUCKET);
  expect(JSON.parse((await flakes.get(deploymentKey(LEAF, first)))!.string())["flake.lock"]).toBe(a);

  // The same instance with another lock: the review names the input whose pin moved.
  await importDesign(page, lockedDesign(b));
  await instance(page).getByRole("button", { name: "Deploy", exact: true }).click();
  const dialog = deployDialog(page);
  await dialog.getByRole("button", { name: "Review" }).click();
  const review = dialog.getByRole("region", { name: "Review" });
  await expect(review.getByRole("list", { name: "Input changes" }).locator("li")).toHaveText([`nixpkgs ${"a".repeat(12)} → ${"b".repeat(12)}`]);
  await dialog.getByRole("checkbox", { name: /^Update inputs/ }).check();
  await expect(review).toContainText("The leaf locks every input of cim-minimal afresh (Update inputs)");
  await dialog.getByRole("button", { name: "Deploy", exact: true }).click();
  // The leaf was asked to update its inputs, and without nix it cannot: it says so rather than deploy unpinned.
  await expect(state(page)).toHaveText("failed");
  await expect(panel(page)).toContainText("E_LOCK_FAILED");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export flake" }).click()]);
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  expect(strFromU8(zip["flake.lock"]!)).toBe(b);
});
