import { describe, expect, it } from "vitest";
import { leafChoices } from "./leafChoice";
import { ageText } from "./limits";
import type { LeafRecord } from "./records";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const leaf = (leafId: string, status: LeafRecord["status"], instances = ["*"], seenAgoMs = 1_000): LeafRecord => ({
  leafId,
  hostname: "h",
  version: "1",
  instances,
  status,
  currentDeploymentId: null,
  lastSeen: new Date(NOW - seenAgoMs).toISOString(),
});
const byId = (...ls: LeafRecord[]) => Object.fromEntries(ls.map((l) => [l.leafId, l]));
const ids = (r: ReturnType<typeof leafChoices>) => r.choices.map((c) => `${c.leaf.leafId}:${c.state}`);

describe("the leaf a deployment may go to", () => {
  it("a registered leaf that is offline can be chosen: its command waits for it", () => {
    const r = leafChoices(byId(leaf("away", "offline")), { hostId: "cim-a" }, NOW);
    expect(ids(r)).toEqual(["away:offline"]);
    expect(r.problem).toBeNull();
    // Not taken without asking: a person chooses to queue for a leaf that is away.
    expect(r.sole).toBeUndefined();
  });

  it("a leaf silent past the limit counts as offline even if its entry says idle, and comes after online ones", () => {
    const r = leafChoices(byId(leaf("a-silent", "idle", ["*"], 60_000), leaf("b-live", "busy")), { hostId: "cim-a" }, NOW);
    expect(ids(r)).toEqual(["b-live:busy", "a-silent:offline"]);
    expect(r.sole?.leaf.leafId).toBe("b-live");
  });

  it("several online leaves: a person must choose", () => {
    const r = leafChoices(byId(leaf("one", "idle"), leaf("two", "idle")), { hostId: "cim-a" }, NOW);
    expect(ids(r)).toEqual(["one:idle", "two:idle"]);
    expect(r.sole).toBeUndefined();
  });

  it("only leaves that serve the instance", () => {
    const r = leafChoices(byId(leaf("other", "idle", ["cim-b"]), leaf("mine", "offline", ["cim-a"])), { hostId: "cim-a" }, NOW);
    expect(ids(r)).toEqual(["mine:offline"]);
    const none = leafChoices(byId(leaf("other", "idle", ["cim-b"])), { hostId: "cim-a" }, NOW);
    expect(none.choices).toEqual([]);
    expect(none.problem).toMatchObject({ code: "E_NO_LEAF", message: "No registered leaf serves cim-a" });
    expect(leafChoices({}, { hostId: "cim-a" }, NOW).problem?.message).toBe("No leaf has registered with the hub");
  });

  it("the leaf named (flag first, then the instance's own) is the only choice, offline or not", () => {
    const leaves = byId(leaf("named", "offline"), leaf("live", "idle"));
    const r = leafChoices(leaves, { hostId: "cim-a", leafId: "named" }, NOW);
    expect(ids(r)).toEqual(["named:offline"]);
    expect(r.sole?.leaf.leafId).toBe("named");
    expect(leafChoices(leaves, { hostId: "cim-a", leafId: "named" }, NOW, "live").sole?.leaf.leafId).toBe("live");
  });

  it("a named leaf that never registered, or does not serve the instance, is refused with the reason", () => {
    const leaves = byId(leaf("narrow", "idle", ["cim-b"]));
    expect(leafChoices(leaves, { hostId: "cim-a", leafId: "ghost" }, NOW).problem).toMatchObject({ code: "E_LEAF_UNREGISTERED", message: expect.stringContaining("Leaf ghost (the instance's leaf executor) has never registered") });
    expect(leafChoices(leaves, { hostId: "cim-a" }, NOW, "ghost").problem?.message).toMatch(/^Leaf ghost has never registered/);
    expect(leafChoices(leaves, { hostId: "cim-a" }, NOW, "narrow").problem).toMatchObject({ code: "E_CMD_INSTANCE", message: "Leaf narrow does not serve cim-a (it serves cim-b)" });
    // "__proto__" is a valid id and must not find Object.prototype.
    expect(leafChoices(leaves, { hostId: "cim-a" }, NOW, "__proto__").problem?.code).toBe("E_LEAF_UNREGISTERED");
  });
});

describe("an age limit in words", () => {
  it("in the largest whole unit", () => {
    expect([86400, 7 * 86400, 36 * 3600, 90 * 60, 45, 61].map(ageText)).toEqual(["1 day", "7 days", "36 h", "90 min", "45 s", "61 s"]);
  });
});
