import { describe, expect, it } from "vitest";
import { hubAgeMs, heardFromHub, leafPresence, learnOffset, type Heard } from "./presence";
import type { LeafRecord } from "./records";

const HUB = Date.parse("2026-12-01T12:00:00Z");
const MINUTE = 60_000;
const leaf = (status: LeafRecord["status"], lastSeen: string): LeafRecord => ({ leafId: "l", hostname: "h", version: "1", instances: ["*"], status, currentDeploymentId: null, lastSeen });

describe("presence by the hub's clock", () => {
  it("a live update is aged by the reader's own elapsed time: neither the leaf's nor the reader's clock setting matters", () => {
    // The leaf's clock is 10 minutes behind, the browser's 3 minutes ahead of the hub.
    const browser = HUB + 3 * MINUTE;
    const heard: Heard = { storedMs: HUB, localMs: browser, live: true };
    const l = heardFromHub(leaf("idle", new Date(HUB - 10 * MINUTE).toISOString()), heard);
    expect(leafPresence(l, browser + 2_000)).toBe("idle");
    expect(leafPresence(l, browser + 14_000)).toBe("idle");
    expect(leafPresence(l, browser + 16_000)).toBe("offline");
  });

  it("an entry read back at the start of a watch is aged by the hub's clock, with the offset the reader learned", () => {
    const browser = HUB - 5 * MINUTE; // the browser is 5 minutes behind
    const offsetMs = learnOffset(undefined, HUB, browser, true);
    expect(offsetMs).toBe(5 * MINUTE);
    // Stored 20 s before the hub's now: offline, although by the browser's clock it would be from the future.
    const old: Heard = { storedMs: HUB - 20_000, localMs: browser, live: false, offsetMs };
    expect(hubAgeMs(old, browser)).toBe(20_000);
    expect(leafPresence(heardFromHub(leaf("busy", "2030-01-01T00:00:00Z"), old), browser)).toBe("offline");
    const fresh: Heard = { ...old, storedMs: HUB - 3_000 };
    expect(leafPresence(heardFromHub(leaf("busy", "2000-01-01T00:00:00Z"), fresh), browser)).toBe("busy");
  });

  it("only a live update teaches the offset; a leaf that says offline is offline; what the leaf wrote as `heard` is replaced", () => {
    expect(learnOffset(7, HUB, HUB + 1_000, false)).toBe(7);
    expect(learnOffset(7, HUB, HUB + 1_000, true)).toBe(-1_000);
    const heard: Heard = { storedMs: HUB, localMs: HUB, live: true };
    expect(leafPresence(heardFromHub(leaf("offline", new Date(HUB).toISOString()), heard), HUB)).toBe("offline");
    const forged = { ...leaf("idle", "x"), heard: { storedMs: 9e15, localMs: 9e15, live: true } } as LeafRecord;
    expect(heardFromHub(forged, heard).heard).toEqual(heard);
  });

  it("without `heard` (a reader that keeps no timestamps) it falls back to lastSeen, and garbage is offline", () => {
    expect(leafPresence(leaf("idle", new Date(HUB - 5_000).toISOString()), HUB)).toBe("idle");
    expect(leafPresence(leaf("idle", new Date(HUB - 20_000).toISOString()), HUB)).toBe("offline");
    expect(leafPresence(leaf("idle", "garbage"), HUB)).toBe("offline");
  });
});
