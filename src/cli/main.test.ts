import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "./main";
import { TEST_TRUSTED_KEYS } from "../../tests/support/signing";

const dir = mkdtempSync(join(tmpdir(), "alchemist-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((s: unknown) => void out.push(String(s)));
  const error = vi.spyOn(console, "error").mockImplementation((s: unknown) => void err.push(String(s)));
  try {
    return { code: await main(argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const bad = join(dir, "bad.json");
const nodes = [{ id: "h", kind: "cim-instance", config: { id: "h" } }, { id: "r", kind: "redis", config: { port: 0 } }, { id: "hw", kind: "hardware", config: { rootDevice: "/dev/sda1" } }];
writeFileSync(bad, JSON.stringify({ version: 1, name: "x", nodes, edges: [{ id: "e", source: "r", target: "h" }, { id: "e2", source: "hw", target: "h" }] }));

describe("alchemist validate and compile", () => {
  it("validate prints `severity code node field: message` and exits 1 on errors", async () => {
    const r = await run("validate", bad);
    expect(r.code).toBe(1);
    expect(r.out).toBe("error E_FIELD r port: nodes[1].config.port: expected integer 1–65535, got 0");
    const ok = await run("validate", "templates/minimal.json");
    expect(ok.code).toBe(0);
  });

  it("validate --json gives machines the diagnostics; bad input never gives a stack trace", async () => {
    const r = await run("validate", bad, "--json");
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, diagnostics: [{ code: "E_FIELD", nodeId: "r", field: "port" }] });
    writeFileSync(join(dir, "nope.json"), "{");
    expect((await run("validate", join(dir, "nope.json"))).out).toMatch(/^error E_DESIGN_JSON/);
    const missing = await run("validate", join(dir, "missing.json"));
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/^error E_USAGE: cannot read the design file/)]);
  });

  it("compile refuses to write a design with errors, and writes the flake of a good one", async () => {
    const refused = await run("compile", bad, "--out", join(dir, "out-bad"));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("E_FIELD");
    expect(existsSync(join(dir, "out-bad"))).toBe(false);
    const out = join(dir, "out");
    expect((await run("compile", "templates/production.json", "--out", out)).code).toBe(0);
    expect(readFileSync(join(out, "hosts/cim-prod-001/default.nix"), "utf8")).toBe(readFileSync("tests/golden/production/hosts/cim-prod-001/default.nix", "utf8"));
    // A second compile replaces the generated files and keeps the operator's own.
    mkdirSync(join(out, "secrets"));
    writeFileSync(join(out, "secrets/x.age"), "x");
    expect((await run("compile", "templates/minimal.json", "--out", out)).code).toBe(0);
    expect(existsSync(join(out, "hosts/cim-prod-001"))).toBe(false);
    expect(existsSync(join(out, "secrets/x.age"))).toBe(true);
  });

  it("reads a version 1 design file as the version 2 design it migrates to, and a version 3 one not at all", async () => {
    const v1 = "tests/fixtures/designs/minimal-v1.json";
    expect(JSON.parse(readFileSync(v1, "utf8")).version).toBe(1);
    expect((await run("validate", v1)).code).toBe(0);
    const out = join(dir, "out-v1");
    expect((await run("compile", v1, "--out", out)).code).toBe(0);
    for (const file of ["alchemist.json", "flake.nix", "hosts/cim-minimal/default.nix"]) expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(`tests/golden/minimal/${file}`, "utf8"));
    writeFileSync(join(dir, "v3.json"), JSON.stringify({ ...JSON.parse(readFileSync(v1, "utf8")), version: 3 }));
    const newer = await run("validate", join(dir, "v3.json"));
    expect([newer.code, newer.out]).toEqual([1, "error E_DESIGN_VERSION - -: version: version 3 was written by a newer Alchemist; this one reads up to 2"]);
  });

  it("compile will not write into a folder that is not its own", async () => {
    const foreign = join(dir, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "notes.txt"), "mine");
    const r = await run("compile", "templates/minimal.json", "--out", foreign);
    expect([r.code, r.err]).toEqual([1, expect.stringContaining("E_OUT_DIR")]);
  });

  // Node's recursive mkdir never returns under /proc: these would hang rather than fail.
  it("compile into a folder that cannot be made says so", async () => {
    const r = await run("compile", "templates/minimal.json", "--out", "/proc/alchemist-nowhere/out");
    expect([r.code, r.err]).toEqual([1, expect.stringContaining("E_OUT_DIR")]);
  });

  it("the executor with a work folder that cannot be made says so before connecting", async () => {
    const r = await run("executor", "--leaf-id", "t", "--servers", "nats://127.0.0.1:9", "--trusted-keys", TEST_TRUSTED_KEYS, "--work-dir", "/proc/alchemist-nowhere/work");
    expect([r.code, r.err]).toEqual([1, expect.stringContaining("E_STATE_DIR")]);
  });
});

describe("every command", () => {
  it("answers --help with its usage and exit 0, and is listed in the top-level usage", async () => {
    const top = await run("--help");
    const names = [...top.out.matchAll(/^ {2}([a-z-]+)$/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(["up", "executor", "deploy", "watch", "history", "rollback"]));
    for (const name of names) {
      const r = await run(name, "--help");
      expect(r.code, name).toBe(0);
      expect(r.out, name).toMatch(new RegExp(`^usage: alchemist ${name}\\b`));
    }
  });
});
