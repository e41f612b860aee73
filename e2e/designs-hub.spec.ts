import { expect, stackTest as test } from "./fixtures";
import { designRow, field, onHub, openDesignList, openFromList, person, personLink, startNamed, withPeople } from "./people";

// Issue 12: designs live on the hub (cim_designs), shared by the team, with their history. Each
// person is a browser context of their own, logged in by the link `alchemist creds --person` made.

test("a design saved by one person is on the hub for another, says who saved it, and comes back to a browser whose storage was cleared", async ({ browser, stack }) => {
  await withPeople(browser, stack, ["alice", "bob"], async ([alice, bob]) => {
    await startNamed(alice.page, "Shared design");
    await (await field(alice.page, "nats", "Client port")).fill("4333");
    await onHub(alice.page, "Shared design");

    // Bob's list has alice's design without a reload: the hub told his browser.
    const list = await openDesignList(bob.page);
    // Who: the login name and the start of the key that signed the save.
    await expect(designRow(list, "Shared design")).toContainText(/saved by alice \(U[A-Z2-7]{7}…\)/);
    await list.getByRole("button", { name: "Open Shared design" }).click();
    await expect(await field(bob.page, "nats", "Client port")).toHaveValue("4333");

    // Alice's browser forgets everything, her login included (a browser context of its own is
    // one with its storage cleared); logged in again, the design is there.
    await alice.close();
    const again = await person(browser, await personLink(stack, "alice"));
    try {
      const hers = await openDesignList(again.page);
      await expect(designRow(hers, "Shared design")).toContainText(/revision \d+ on the hub, saved by alice/);
      await hers.getByRole("button", { name: "Open Shared design" }).click();
      await expect(await field(again.page, "nats", "Client port")).toHaveValue("4333");
    } finally {
      await again.close();
    }
  });
});

test("nothing typed while the hub is away is lost: the change waits in the browser, over a reload, and reaches the hub when it is back", async ({ browser, stack }) => {
  await withPeople(browser, stack, ["alice", "bob"], async ([alice, bob]) => {
    await startNamed(alice.page, "Offline work");
    alice.hold();
    await (await field(alice.page, "graph", "Max nodes")).fill("777");
    // The tab closed and opened again while its save had not reached the hub: the browser still has it, owed.
    await alice.page.reload();
    await expect(await field(alice.page, "graph", "Max nodes")).toHaveValue("777");
    const list = await openDesignList(alice.page);
    await expect(designRow(list, "Offline work")).toContainText("changes here not on the hub yet");
    alice.release();
    await expect(designRow(list, "Offline work")).not.toContainText("not on the hub yet");

    const bobs = await openDesignList(bob.page);
    await bobs.getByRole("button", { name: "Open Offline work" }).click();
    await expect(await field(bob.page, "graph", "Max nodes")).toHaveValue("777");
  });
});

test("two people on one design: the second to save is told at once, reviews both side by side and merges node by node", async ({ browser, stack }) => {
  await withPeople(browser, stack, ["alice", "bob"], async ([alice, bob]) => {
    await startNamed(alice.page, "Team design");
    await openFromList(bob.page, "Team design");

    // Bob's save is held on its way; alice saves a change of another node meanwhile.
    bob.hold();
    await (await field(bob.page, "graph", "Max nodes")).fill("555");
    await (await field(alice.page, "nats", "Client port")).fill("4555");
    await onHub(alice.page, "Team design");
    bob.release();

    // Bob is asked; nothing was written over.
    const asked = bob.page.getByRole("dialog", { name: "Someone else saved this design" });
    await expect(asked).toContainText(/alice \(U[A-Z2-7]{7}…\) saved “Team design”/);
    await asked.getByRole("button", { name: "Review and merge" }).click();
    const merge = asked.getByRole("region", { name: "Merge" });
    // Each changed one node: each node starts on the version of the one who changed it.
    await expect(merge.getByRole("row", { name: "Node nats" })).toContainText("changed in Theirs only");
    await expect(merge.getByRole("radiogroup", { name: "Version of nats" }).getByRole("radio", { name: "Theirs" })).toBeChecked();
    await expect(merge.getByRole("row", { name: "Node graph" })).toContainText("maxNodes: 555");
    await expect(merge.getByRole("radiogroup", { name: "Version of graph" }).getByRole("radio", { name: "Mine" })).toBeChecked();
    await asked.getByRole("button", { name: "Save the merge" }).click();
    await expect(asked).toHaveCount(0);
    await expect(await field(bob.page, "nats", "Client port")).toHaveValue("4555");
    await expect(await field(bob.page, "graph", "Max nodes")).toHaveValue("555");

    // The merge reaches alice live; she had nothing unsaved, so she is asked nothing.
    await expect(await field(alice.page, "graph", "Max nodes")).toHaveValue("555");
    await expect(await field(alice.page, "nats", "Client port")).toHaveValue("4555");
    await expect(alice.page.getByRole("dialog", { name: "Someone else saved this design" })).toHaveCount(0);
    const hers = await openDesignList(alice.page);
    await expect(designRow(hers, "Team design")).toContainText("saved by bob");
  });
});

test("a person asked can load theirs, or keep theirs and their own as a new design", async ({ browser, stack }) => {
  await withPeople(browser, stack, ["alice", "bob"], async ([alice, bob]) => {
    await startNamed(alice.page, "Two minds");
    await openFromList(bob.page, "Two minds");

    const clash = async (mine: string, theirs: string) => {
      bob.hold();
      await (await field(bob.page, "nats", "Client port")).fill(mine);
      await (await field(alice.page, "nats", "Client port")).fill(theirs);
      await onHub(alice.page, "Two minds");
      bob.release();
      const asked = bob.page.getByRole("dialog", { name: "Someone else saved this design" });
      await expect(asked).toBeVisible();
      return asked;
    };

    await (await clash("4601", "4602")).getByRole("button", { name: "Keep mine as a new design" }).click();
    await expect(bob.page.getByRole("heading", { name: "Design name" })).toHaveText("Two minds (my copy)");
    await expect(await field(bob.page, "nats", "Client port")).toHaveValue("4601");
    await onHub(bob.page, "Two minds (my copy)");
    await openFromList(bob.page, "Two minds");
    await expect(await field(bob.page, "nats", "Client port")).toHaveValue("4602");

    await (await clash("4603", "4604")).getByRole("button", { name: "Load theirs" }).click();
    await expect(await field(bob.page, "nats", "Client port")).toHaveValue("4604");
    await bob.page.reload();
    await expect(await field(bob.page, "nats", "Client port")).toHaveValue("4604");
    await onHub(bob.page, "Two minds");
  });
});

test("the versions of a design: who saved each and what changed, two compared side by side, an old one restored as the newest", async ({ browser, stack }) => {
  await withPeople(browser, stack, ["alice"], async ([alice]) => {
    await startNamed(alice.page, "Versioned");
    await (await field(alice.page, "nats", "Client port")).fill("4777");
    await onHub(alice.page, "Versioned");

    let list = await openDesignList(alice.page);
    await list.getByRole("button", { name: "Versions of Versioned" }).click();
    const versions = alice.page.getByRole("dialog", { name: "Versions of Versioned" });
    const rows = versions.getByRole("table", { name: "Revisions" }).getByRole("row", { name: /^Revision \d+$/ });
    await expect(rows.nth(0)).toContainText("changed nats");
    await expect(rows.nth(0)).toContainText("alice");
    const count = await rows.count();
    const before = (await rows.nth(1).getAttribute("aria-label"))!.toLowerCase(); // "revision N"
    const after = (await rows.nth(0).getAttribute("aria-label"))!.toLowerCase();

    await versions.getByRole("checkbox", { name: `Compare ${before}` }).check();
    await versions.getByRole("checkbox", { name: `Compare ${after}` }).check();
    const compared = versions.getByRole("region", { name: `R${before.slice(1)} against ${after}` });
    await expect(compared.getByRole("row", { name: "Node nats" })).toContainText("port: 4777");
    await expect(compared.getByRole("row", { name: /^Node [\w-]+$/ })).toHaveCount(1);

    await versions.getByRole("button", { name: `Restore ${before}` }).click();
    await expect(versions).toHaveCount(0);
    await expect(await field(alice.page, "nats", "Client port")).not.toHaveValue("4777");
    await onHub(alice.page, "Versioned");
    list = await openDesignList(alice.page);
    await list.getByRole("button", { name: "Versions of Versioned" }).click();
    await expect(rows).toHaveCount(count + 1);
    await expect(rows.nth(0)).toContainText(`restored ${before}`);
    await expect(rows.nth(0)).toContainText("changed nats");
  });
});
