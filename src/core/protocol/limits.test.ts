import { describe, expect, it } from "vitest";
import { DEFAULT_STORE_LIMITS, STORE_NAMES, parseStoreLimits, storeRefusal } from "./limits";

describe("store limits", () => {
  it("every store has an age and a size limit by default", () => {
    for (const s of STORE_NAMES) {
      expect(DEFAULT_STORE_LIMITS[s].maxAgeS).toBeGreaterThan(0);
      expect(DEFAULT_STORE_LIMITS[s].maxBytes).toBeGreaterThan(0);
    }
    // A command for a leaf that never comes does not stay for ever.
    expect(DEFAULT_STORE_LIMITS.commands.maxAgeS).toBe(24 * 3600);
  });

  it("reads <store>.age and <store>.bytes over the defaults", () => {
    const r = parseStoreLimits("events.age=7d, flakes.bytes=2GiB,commands.age=90m,leaves.bytes=1048576", "--store-limits");
    expect(r).toEqual({
      ok: true,
      value: {
        ...DEFAULT_STORE_LIMITS,
        events: { ...DEFAULT_STORE_LIMITS.events, maxAgeS: 7 * 86400 },
        flakes: { ...DEFAULT_STORE_LIMITS.flakes, maxBytes: 2 * 1024 ** 3 },
        commands: { ...DEFAULT_STORE_LIMITS.commands, maxAgeS: 90 * 60 },
        leaves: { ...DEFAULT_STORE_LIMITS.leaves, maxBytes: 1048576 },
      },
    });
    expect(parseStoreLimits(undefined, "x")).toEqual({ ok: true, value: DEFAULT_STORE_LIMITS });
  });

  it("refuses what it does not understand, and limits so small or absent that a store would be unbounded or unusable", () => {
    for (const [text, says] of [
      ["events.age=forever", "must be"],
      ["logs.age=7d", "must be"],
      ["events.age=7w", 'unknown unit "w"'],
      ["events.bytes=0", "smaller than 1 MiB"],
      ["commands.age=10s", "shorter than 60 s"],
      ["events.age=", "must be"],
    ] as const) {
      const r = parseStoreLimits(text, "ALCHEMIST_STORE_LIMITS");
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe("E_USAGE");
        expect(r.error.message).toContain("ALCHEMIST_STORE_LIMITS");
        expect(r.error.message).toContain(says);
      }
    }
  });
});

describe("storeRefusal", () => {
  const jsError = (code: number, message: string) => Object.assign(new Error(message), { code });
  it("names the full store, its limit flag and why, for JetStream's limit codes only", () => {
    const full = storeRefusal("CIM_DEPLOY_COMMANDS", jsError(10077, "maximum bytes exceeded"), "command c-1");
    expect(full?.code).toBe("E_STORE_FULL");
    expect(full?.message).toContain("the hub refused command c-1: CIM_DEPLOY_COMMANDS is full (maximum bytes exceeded)");
    expect(full?.message).toContain("--store-limits commands.bytes=");
    expect(storeRefusal("KV_cim_flakes", jsError(10054, "message size exceeds maximum allowed"), "files")?.message).toContain("larger than the largest message KV_cim_flakes takes");
    expect(storeRefusal("KV_cim_flakes", jsError(10071, "wrong last sequence"), "files")).toBeUndefined();
    expect(storeRefusal("KV_cim_flakes", Object.assign(new Error("no space"), { code: "ENOSPC" }), "files")).toBeUndefined();
    expect(storeRefusal("KV_cim_flakes", "10077", "files")).toBeUndefined();
  });
});
