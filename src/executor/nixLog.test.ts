import { describe, expect, it } from "vitest";
import { NixLogReader } from "./nixLog";

describe("NixLogReader: nix --log-format internal-json", () => {
  it("turns build activities into progress and build output into lines", () => {
    const r = new NixLogReader();
    expect(r.read('@nix {"action":"start","id":1,"level":3,"text":"","type":104,"fields":[]}')).toEqual({ kind: "none" });
    expect(r.read('@nix {"action":"result","id":1,"type":105,"fields":[1,3,0,0]}')).toEqual({
      kind: "progress",
      progress: { activity: 1, done: 1, total: 3, unit: "builds", label: "building" },
    });
    expect(r.read('@nix {"action":"result","id":7,"type":101,"fields":["\\u001b[1mcompiling\\u001b[0m main.c"]}')).toEqual({ kind: "line", line: "compiling main.c" });
    expect(r.read('@nix {"action":"msg","level":0,"msg":"error: builder failed"}')).toEqual({ kind: "line", line: "error: builder failed" });
    expect(r.read('@nix {"action":"stop","id":1}')).toEqual({ kind: "none" });
    // After stop the activity is gone: its progress means nothing any more.
    expect(r.read('@nix {"action":"result","id":1,"type":105,"fields":[2,3,0,0]}')).toEqual({ kind: "none" });
  });

  it("labels downloads in bytes with the activity's text", () => {
    const r = new NixLogReader();
    r.read('@nix {"action":"start","id":5,"level":4,"text":"downloading \'https://cache.nixos.org/x.narinfo\'","type":101,"fields":[]}');
    expect(r.read('@nix {"action":"result","id":5,"type":105,"fields":[512,2048,0,0]}')).toMatchObject({
      kind: "progress",
      progress: { unit: "bytes", done: 512, total: 2048, label: "downloading 'https://cache.nixos.org/x.narinfo'" },
    });
  });

  it("passes through plain lines and broken JSON unchanged", () => {
    const r = new NixLogReader();
    expect(r.read("building the system configuration...")).toEqual({ kind: "line", line: "building the system configuration..." });
    expect(r.read("@nix {not json")).toEqual({ kind: "line", line: "@nix {not json" });
  });
});
