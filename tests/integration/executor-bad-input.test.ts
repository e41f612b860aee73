import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNNAMED_DEPLOYMENT, type DeployEvent } from "../../src/core/protocol";
import type { ErrorCode as Code } from "../../src/core/errors";
import { Topology, type ExecutorProc } from "../support/deployTopology";
import { control, deployCommand, rollbackCommand, uid } from "../support/commands";

const LEAF = "leaf-bad";
const base = () => deployCommand(LEAF);
type Case = { name: string; data: () => string | Uint8Array | Record<string, unknown>; code: Code; named: boolean };

const without = (field: string) => () => {
  const c: Record<string, unknown> = base();
  delete c[field];
  return c;
};
const withField = (field: string, value: unknown) => () => ({ ...base(), [field]: value });
const withFile = (path: string, text: unknown = "{ }") => () => {
  const c = base();
  return { ...c, files: { ...(c.files as object), [path]: text } };
};

const CASES: Case[] = [
  { name: "not JSON", data: () => "deploy everything now", code: "E_CMD_NOT_JSON", named: false },
  { name: "empty message", data: () => "", code: "E_CMD_NOT_JSON", named: false },
  { name: "a JSON array", data: () => "[1,2,3]", code: "E_CMD_NOT_JSON", named: false },
  { name: "JSON null", data: () => "null", code: "E_CMD_NOT_JSON", named: false },
  { name: "invalid UTF-8", data: () => new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), code: "E_CMD_NOT_JSON", named: false },
  { name: "unknown v", data: withField("v", 2), code: "E_CMD_VERSION", named: true },
  { name: "missing v", data: without("v"), code: "E_CMD_VERSION", named: true },
  { name: "unknown type", data: withField("type", "destroy"), code: "E_CMD_TYPE", named: true },
  { name: "missing type", data: without("type"), code: "E_CMD_TYPE", named: true },
  { name: "missing commandId", data: without("commandId"), code: "E_CMD_FIELD", named: true },
  { name: "missing deploymentId", data: without("deploymentId"), code: "E_CMD_FIELD", named: false },
  { name: "deploymentId with a dot", data: withField("deploymentId", "a.b"), code: "E_CMD_FIELD", named: false },
  { name: "missing instance", data: without("instance"), code: "E_CMD_FIELD", named: true },
  { name: "instance not a hostname", data: withField("instance", "Bad_Name ${x}"), code: "E_CMD_FIELD", named: true },
  { name: "unknown action", data: withField("action", "reboot"), code: "E_CMD_FIELD", named: true },
  { name: "missing files", data: without("files"), code: "E_CMD_FIELD", named: true },
  { name: "files as a list", data: withField("files", ["flake.nix"]), code: "E_CMD_FIELD", named: true },
  { name: "path with ..", data: withFile("../../etc/passwd"), code: "E_CMD_PATH", named: true },
  { name: "absolute path", data: withFile("/etc/passwd"), code: "E_CMD_PATH", named: true },
  { name: ".. inside a path", data: withFile("hosts/x/../../../evil.nix"), code: "E_CMD_PATH", named: true },
  { name: "backslash path", data: withFile("hosts\\..\\evil.nix"), code: "E_CMD_PATH", named: true },
  { name: "empty path segment", data: withFile("hosts//evil.nix"), code: "E_CMD_PATH", named: true },
  { name: "file text not a string", data: withFile("extra.nix", 42), code: "E_CMD_FIELD", named: true },
  {
    name: "no flake.nix",
    data: () => {
      const c = base();
      const files = { ...(c.files as Record<string, string>) };
      delete files["flake.nix"];
      return { ...c, files };
    },
    code: "E_CMD_FIELD",
    named: true,
  },
  { name: "instance the files do not define", data: withField("instance", "cim-elsewhere"), code: "E_CMD_INSTANCE", named: true },
  { name: "malformed designHash", data: withField("designHash", "md5-abc"), code: "E_CMD_FIELD", named: true },
  // Well formed, but not the design sent: the history would show another design as deployed.
  { name: "designHash not that of the alchemist.json sent", data: withField("designHash", `sha256-${"0".repeat(64)}`), code: "E_CMD_FIELD", named: true },
  { name: "unknown confirm mode", data: withField("confirm", { mode: "maybe", timeoutSeconds: 10 }), code: "E_CMD_FIELD", named: true },
  { name: "confirm timeout 0", data: withField("confirm", { mode: "manual", timeoutSeconds: 0 }), code: "E_CMD_FIELD", named: true },
  { name: "requestedAt not a time", data: withField("requestedAt", "yesterday"), code: "E_CMD_FIELD", named: true },
  { name: "over the size limit", data: withFile("big.nix", `"${"x".repeat(300_000)}"`), code: "E_CMD_TOO_LARGE", named: false },
  { name: "addressed to another leaf", data: withField("leafId", "leaf-other"), code: "E_CMD_LEAF", named: true },
  { name: "cancel of an unknown deployment", data: () => control(LEAF, uid("nope"), "cancel"), code: "E_CMD_UNKNOWN_DEPLOYMENT", named: true },
  { name: "confirm of an unknown deployment", data: () => control(LEAF, uid("nope"), "confirm"), code: "E_CMD_UNKNOWN_DEPLOYMENT", named: true },
  {
    name: "rollback to an unknown deployment",
    data: () => rollbackCommand(LEAF, "never-was", { commandId: uid("c"), deploymentId: uid("rb") }),
    code: "E_CMD_UNKNOWN_DEPLOYMENT",
    named: true,
  },
  { name: "an instance this leaf does not serve", data: () => deployCommand(LEAF, { instance: "cim-other", files: { "flake.nix": "{ }", "hosts/cim-other/default.nix": "{ }" } }), code: "E_CMD_INSTANCE", named: true },
];

describe("the executor answers every malformed command with rejected, keeps nothing of it, and keeps running", () => {
  let t: Topology;
  let ex: ExecutorProc;
  const seenIds: string[] = [];
  beforeAll(async () => {
    t = await Topology.start();
    ex = await t.startExecutor(LEAF, await t.addLeaf(LEAF), { args: ["--max-command-bytes", "200000", "--instances", "cim-minimal"] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it(`has at least 20 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const data = c.data();
      const raw = typeof data === "string" || data instanceof Uint8Array ? data : JSON.stringify(data);
      const named = typeof data === "object" && !(data instanceof Uint8Array) && typeof data.deploymentId === "string" && c.named;
      const watch = named ? String((data as Record<string, unknown>).deploymentId) : UNNAMED_DEPLOYMENT;
      const before = (await t.events(watch)).filter((e) => e.type === "rejected").length;
      await t.sendRaw(LEAF, raw);
      const es = await t.waitFor(watch, (x) => x.filter((e) => e.type === "rejected").length > before, 15_000);
      const rejected = es.filter((e): e is Extract<DeployEvent, { type: "rejected" }> => e.type === "rejected").at(-1)!;
      expect(rejected.error.code).toBe(c.code);
      expect(rejected.reason).toBe(rejected.error.message);
      expect(rejected.reason.length).toBeGreaterThan(10);
      if (named) {
        seenIds.push(watch);
        // Nothing but the rejection: no accepted, no steps.
        expect(es.map((e) => e.type)).toEqual(["rejected"]);
        expect(await t.summary(LEAF, watch)).toBeUndefined();
      }
      expect(ex.proc.exitCode).toBeNull();
    });
  }

  it("a corrected command may reuse the id of a rejected one: its events continue the numbering", async () => {
    const bad = deployCommand(LEAF, { action: "reboot" });
    await t.send(bad);
    await t.waitFor(bad.deploymentId, (es) => es.length > 0);
    const good = { ...bad, commandId: uid("cmd"), action: "switch" };
    await t.send(good);
    const es = await t.waitFor(bad.deploymentId);
    expect(es.map((e) => e.seq)).toEqual(es.map((_, i) => i + 1));
    expect(es[0]!.type).toBe("rejected");
    expect(es[1]!.type).toBe("accepted");
    expect(es.at(-1)!.type).toBe("succeeded");
  });

  it("wrote nothing to disk for any of them, and a valid command after them succeeds", async () => {
    const dir = join(ex.workDir, "deployments");
    const written = existsSync(dir) ? readdirSync(dir) : [];
    expect(written.filter((d) => seenIds.includes(d))).toEqual([]);
    const good = deployCommand(LEAF);
    await t.send(good);
    const es = await t.waitFor(good.deploymentId);
    expect(es.at(-1)!.type).toBe("succeeded");
    expect(ex.proc.exitCode).toBeNull();
    expect(ex.output()).not.toMatch(/\n\s+at /);
  });
});

