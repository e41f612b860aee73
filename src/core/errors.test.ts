import { describe, expect, it } from "vitest";
import { messageOf, reasonOf } from "./errors";

describe("what a thrown value says", () => {
  it("messageOf: an error's message, anything else as text", () => {
    expect([messageOf(new Error("boom")), messageOf("plain"), messageOf(42), messageOf(null)]).toEqual(["boom", "plain", "42", "null"]);
  });

  it("reasonOf: a system error's code when it has one, else the message", () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: "ENOENT" });
    expect([reasonOf(enoent), reasonOf(new Error("boom")), reasonOf({ code: 7 }), reasonOf(undefined)]).toEqual(["ENOENT", "boom", "[object Object]", "undefined"]);
  });
});
