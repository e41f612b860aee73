import { describe, expect, it } from "vitest";
import { sha256Hex } from "../core/hash";
import { CLI_COMPILE } from "./designFile";

describe("the CLI's native hash", () => {
  // A deploy's designHash must not depend on which side hashed: the browser uses the pure one.
  it.each([
    ["empty", ""],
    ["ASCII", '{"version":2,"name":"x"}'],
    ["accents, CJK and an emoji", "Ünïcødé 名前 🚀"],
    ["an escaped lone surrogate, as JSON.stringify writes it", JSON.stringify("\ud800")],
    ["a megabyte", "αβγ".repeat(200_000)],
  ])("is the pure one's for %s", (_, text) => {
    expect(CLI_COMPILE.sha256Hex!(text)).toBe(sha256Hex(text));
  });

  it("is sha256sum's", () => {
    // printf 'abc' | sha256sum
    expect(CLI_COMPILE.sha256Hex!("abc")).toBe("sha256-ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
