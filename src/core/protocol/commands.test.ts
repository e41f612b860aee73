import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filePathProblem, parseCommand } from "./commands";
import { UNNAMED_DEPLOYMENT } from "./names";

const valid = {
  v: 1,
  type: "deploy",
  commandId: "c1",
  deploymentId: "d1",
  leafId: "leaf-01",
  instance: "cim-a",
  action: "switch",
  files: { "flake.nix": "{ }", "hosts/cim-a/default.nix": "{ }" },
  designHash: `sha256-${"0".repeat(64)}`,
  requestedAt: "2026-11-23T10:00:00Z",
};

describe("parseCommand", () => {
  it("reads a valid deploy command, defaulting confirm to auto/60 s", () => {
    const r = parseCommand(JSON.stringify(valid));
    expect(r).toEqual({ ok: true, value: { ...valid, confirm: { mode: "auto", timeoutSeconds: 60 } } });
  });

  it("reads updateInputs when it is true or false, and refuses anything else", () => {
    expect(parseCommand(JSON.stringify({ ...valid, updateInputs: true }))).toMatchObject({ ok: true, value: { updateInputs: true } });
    expect(parseCommand(JSON.stringify({ ...valid, updateInputs: false }))).toMatchObject({ ok: true, value: { updateInputs: false } });
    expect(parseCommand(JSON.stringify({ ...valid, updateInputs: "yes" }))).toMatchObject({ ok: false, error: { error: { code: "E_CMD_FIELD", message: 'updateInputs must be true or false, got "yes"' } } });
  });

  it("reads the design revision it was made from, and refuses one that is not an id and a positive revision", () => {
    expect(parseCommand(JSON.stringify({ ...valid, design: { id: "d-1", revision: 7 } }))).toMatchObject({ ok: true, value: { design: { id: "d-1", revision: 7 } } });
    for (const design of [{ id: "a.b", revision: 1 }, { id: "d", revision: 0 }, { id: "d", revision: 1.5 }, { id: "d" }, "d@7"]) {
      expect(parseCommand(JSON.stringify({ ...valid, design })), JSON.stringify(design)).toMatchObject({ ok: false, error: { error: { code: "E_CMD_FIELD", message: expect.stringMatching(/^design must be/) } } });
    }
  });

  it("never throws, whatever JSON arrives, and a rejection always carries a code and a message", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseCommand(JSON.stringify(v));
        if (!r.ok) {
          expect(r.error.error.code).toMatch(/^E_CMD_/);
          expect(r.error.error.message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never throws when any field of a valid command is replaced or removed", () => {
    const keys = Object.keys(valid);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.option(fc.anything(), { nil: undefined }), (key, value) => {
        const doc: Record<string, unknown> = { ...valid, [key]: value };
        if (value === undefined) delete doc[key];
        const r = parseCommand(JSON.stringify(doc));
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) expect(r.error.deploymentId === "d1" || r.error.deploymentId === UNNAMED_DEPLOYMENT).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(parseCommand(bytes).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["deploy", valid],
    ["rollback", { v: 1, type: "rollback", commandId: "c2", deploymentId: "d2", leafId: "leaf-01", instance: "cim-a", toDeploymentId: "d1" }],
    ["cancel", { v: 1, type: "cancel", commandId: "c3", deploymentId: "d1", leafId: "leaf-01" }],
    ["confirm", { v: 1, type: "confirm", commandId: "c4", deploymentId: "d1", leafId: "leaf-01" }],
  ])("requires requestedAt on a %s command, since the leaf's replay window is reckoned from it", (_type, command) => {
    const at = "2026-11-23T10:00:00Z";
    const r = parseCommand(JSON.stringify({ ...command, requestedAt: at }));
    expect(r.ok && r.value.requestedAt).toBe(at);
    const { requestedAt: _dropped, ...without } = { ...command, requestedAt: at };
    const missing = parseCommand(JSON.stringify(without));
    expect(missing).toMatchObject({ ok: false, error: { deploymentId: command.deploymentId, error: { code: "E_CMD_FIELD", message: "requestedAt is missing" } } });
    const bad = parseCommand(JSON.stringify({ ...command, requestedAt: "yesterday" }));
    expect(bad).toMatchObject({ ok: false, error: { error: { code: "E_CMD_FIELD", message: 'requestedAt must be an ISO 8601 time, got "yesterday"' } } });
  });

  it("refuses a command over the size limit before reading it", () => {
    const r = parseCommand("x".repeat(2000), { maxBytes: 1024, maxFiles: 10 });
    expect(r.ok || r.error.error.code).toBe("E_CMD_TOO_LARGE");
  });
});

describe("filePathProblem", () => {
  it.each([
    ["flake.nix", null],
    ["hosts/cim-a/imports/hardware-configuration.nix", null],
    ["../x", "escapes the deployment folder (..)"],
    ["a/../../x", "escapes the deployment folder (..)"],
    ["/etc/passwd", "is absolute"],
    ["a\\b", "contains a backslash"],
    ["a//b", "has an empty or '.' segment"],
    ["./a", "has an empty or '.' segment"],
    ["", "is empty"],
  ])("%s", (path, problem) => {
    expect(filePathProblem(path)).toBe(problem);
  });
  it("refuses names with shell or control characters", () => {
    expect(filePathProblem("a/$(rm -rf)")).toMatch(/segment/);
    expect(filePathProblem("a\nb")).toMatch(/segment/);
  });
});
