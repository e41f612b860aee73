import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkConfig } from "../../src/core/catalog/check-config";
import { KINDS } from "../../src/core/catalog/registry";
import { parseDesign } from "../../src/core/design/load";
import type { Design } from "../../src/core/design/types";
import { alchemistFlake, evalFlake, fakeFlake, fakeNixpkgs, localInputArgs, writeCompiled } from "../support/flake-inputs";

// Issue 11, point 10: an instance deployed by a leaf executor runs that executor itself, from
// the `alchemist` flake input, and a switch to it neither stops nor restarts the executor that
// runs the switch. The generated flakes are evaluated by the real nix with local path: inputs;
// the switch is tests/fixtures/switch/nixos-rebuild, which does to alchemist-executor.service
// what NixOS' switch-to-configuration does.

const root = mkdtempSync(join(tmpdir(), "alchemist-switch-"));
const running: ChildProcess[] = [];
afterAll(() => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});
const store = join(root, "store");
const KEY = "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4";

const programs = KINDS.flatMap((k) => (k.cimPackages?.(checkConfig(k.fields, {}).value) ?? []));
const inputs: Record<string, string> = {
  nixpkgs: fakeNixpkgs(join(root, "inputs/nixpkgs"), programs.map((p) => p.attr)),
  alchemist: alchemistFlake(join(root, "inputs/alchemist")),
  ...Object.fromEntries(programs.map((p) => [p.input, fakeFlake(join(root, "inputs", p.input), { packages: ["default"] })])),
};

const written = (name: string, design: Design): string => writeCompiled(join(root, name), design);

/** The Leaf-with-agent template, its instance given the executor's keys and credentials (or no leaf executor). */
function leafAgent(instance: Record<string, unknown>): Design {
  const design = parseDesign(readFileSync("templates/leaf-agent.json", "utf8")).design!;
  return { ...design, nodes: design.nodes.map((n) => (n.kind === "cim-instance" ? { ...n, config: { ...n.config, ...instance } } : n)) };
}

const deployed = written("deployed", leafAgent({ trustedKeys: [`${KEY} alice`], executorCredentials: "/run/agenix/executor-leaf-001.creds" }));
const withoutExecutor = written("without-executor", leafAgent({ leafId: "" }));

/** A stand-in for the running executor; the switch runs as its child, in its control group. */
function executorStandIn(): ChildProcess {
  const p = spawn("sleep", ["300"], { stdio: "ignore" });
  running.push(p);
  return p;
}

const ended = (p: ChildProcess): Promise<NodeJS.Signals | null> =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve(p.signalCode) : new Promise((r) => p.once("exit", (_code, signal) => r(signal)));

function fakeSwitch(flakeDir: string, executorPid: number) {
  return spawnSync(resolve("tests/fixtures/switch/nixos-rebuild"), ["switch", "--flake", `path:${flakeDir}#cim-leaf-001`], {
    encoding: "utf8",
    env: { ...process.env, NIX_CONFIG: "build-users-group =", FAKE_EXECUTOR_PID: String(executorPid), FAKE_NIX_ARGS: localInputArgs(store, inputs).join(" ") },
  });
}

describe("the leaf executor in its own instance", () => {
  it("is services.alchemist-executor for the instance's leaf, from the alchemist input, through the instance's NATS leaf node", () => {
    const result = evalFlake(deployed, "nixosConfigurations.cim-leaf-001.config", {
      store,
      inputs,
      apply: `c: { executor = c.services.alchemist-executor; unit = { inherit (c.systemd.services.alchemist-executor) restartIfChanged unitConfig environment; LoadCredential = c.systemd.services.alchemist-executor.serviceConfig.LoadCredential; }; }`,
    });
    if (!result.ok) throw new Error(result.stderr);
    const { executor, unit } = result.value as { executor: Record<string, unknown>; unit: Record<string, any> };
    expect(executor).toMatchObject({
      enable: true,
      leafId: "leaf-001",
      natsUrl: "nats://127.0.0.1:4222",
      credentialsFile: "/run/agenix/executor-leaf-001.creds",
      trustedKeys: [`${KEY} alice`],
      instances: ["cim-leaf-001"],
      // packages.x86_64-linux.alchemist of this repository's flake (built by the nixpkgs stand-in).
      package: "/nix/store/fake-nixpkgs-package.nix",
    });
    expect(unit.restartIfChanged).toBe(false);
    expect(unit.unitConfig["X-StopOnRemoval"]).toBe(false);
    expect(unit.environment).toMatchObject({ ALCHEMIST_LEAF_ID: "leaf-001", ALCHEMIST_INSTANCES: "cim-leaf-001", NATS_URL: "nats://127.0.0.1:4222", ALCHEMIST_TRUSTED_KEYS: `${KEY} alice` });
    expect(unit.LoadCredential).toEqual(["nats.creds:/run/agenix/executor-leaf-001.creds"]);
  });

  it("survives a switch to a configuration that includes it", async () => {
    const executor = executorStandIn();
    const run = fakeSwitch(deployed, executor.pid!);
    expect(run.stderr).toContain("NOT restarting the following changed units: alchemist-executor.service");
    expect(run.status).toBe(0);
    expect(executor.exitCode).toBeNull();
    expect(executor.signalCode).toBeNull();
    executor.kill("SIGKILL");
    await ended(executor);
  });

  it("is stopped mid-switch by a configuration without it, and the switch dies with it", async () => {
    const executor = executorStandIn();
    const run = fakeSwitch(withoutExecutor, executor.pid!);
    expect(run.stderr).toContain("stopping the following units: alchemist-executor.service");
    expect(run.signal).toBe("SIGTERM");
    expect(await ended(executor)).toBe("SIGTERM");
  });
});
