import { describe, expect, it } from "vitest";
import { compile } from "./index";
import { validate } from "../validate";
import { buildBootable as build } from "../../../tests/support/hardware";

const host: [string, Record<string, unknown>] = ["cim-instance", { id: "cim-1" }];
const fieldProblems = (config: Record<string, unknown>, kind = "custom-service") =>
  validate(build({ host, s: [kind, { name: "svc", execStart: "/bin/svc", ...config }] }, [["s", "host"]]))
    .filter((d) => d.code === "E_FIELD")
    .map((d) => `${d.field}: ${d.message}`);

describe("values the editor keeps as typed", () => {
  it("a cleared number field is an empty value that must be filled, not the default", () => {
    expect(validate(build({ host, leaf: ["nats-leaf", { port: "" }] }, [["leaf", "host"]])).map((d) => `${d.code} ${d.field}: ${d.message}`)).toEqual([
      "E_FIELD port: required: a whole number from 1 to 65535",
    ]);
  });

  it("a map kept as rows while two share a name: the later row is the problem; the map is not merged", () => {
    expect(fieldProblems({ environment: [["PA", "first"], ["PA", "second"], ["HOME", "/root"]] })).toEqual([
      'environment[1]: name "PA" is also used by row 1; give each name one row',
    ]);
  });

  it("rows with distinct names are the wrong shape (the editor writes an object then); each row's own problems point at the row", () => {
    expect(fieldProblems({ environment: [["PA", "first"], ["1x", "second"]] })).toEqual([
      "environment: expected an object of strings, got a list",
      "environment[1]: name: expected an environment variable name",
    ]);
    expect(fieldProblems({ environment: [["PA", 1, 2]] })).toEqual(["environment: expected an object of strings, got a list"]);
  });

  it("a list keyed by a name (NATS users, like interfaces and secrets) reports a repeated name on the later row", () => {
    const users = [{ user: "cim-agent" }, { user: "ops" }, { user: "cim-agent" }];
    expect(validate(build({ host, leaf: ["nats-leaf", { users }] }, [["leaf", "host"]])).filter((d) => d.code === "E_FIELD").map((d) => `${d.field}: ${d.message}`)).toEqual([
      "users[2].user: user cim-agent is listed twice; give each user one entry",
    ]);
  });

  it("a map entry needs a name", () => {
    expect(fieldProblems({ environment: { "": "x" } })).toEqual(['environment[""]: name: required']);
  });
});

describe("designs with no host, and instances sharing an id", () => {
  it("an empty design, or one without an instance, is an error: its flake would define no host", () => {
    const empty = compile(build({}));
    expect(empty.files).toEqual({});
    expect(empty.diagnostics.map((d) => d.code)).toEqual(["E_NO_INSTANCE"]);
    expect(validate(build({ r: ["redis"] })).map((d) => d.code)).toEqual(["E_NO_INSTANCE", "W_UNREACHABLE"]);
  });

  it("two instances with one id: each one's id field says which node it clashes with", () => {
    const d = validate(build({ a: ["cim-instance", { id: "same" }], b: ["cim-instance", { id: "same" }] }));
    expect(d.map((x) => `${x.nodeId} ${x.field}: ${x.message}`)).toEqual([
      "a id: instance id same is also used by node b; each instance needs its own id",
      "b id: instance id same is also used by node a; each instance needs its own id",
    ]);
  });
});
