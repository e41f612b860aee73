import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kvm } from "@nats-io/kv";
import { jetstream } from "@nats-io/jetstream";
import { designHash } from "../../src/core/design/canonical";
import { parseDesign } from "../../src/core/design/load";
import { DEPLOYMENTS_BUCKET, FLAKES_BUCKET, deploymentKey, type DeployEvent } from "../../src/core/protocol";
import { leafBesideStack } from "../support/deployTopology";
import { REPO, runCli, stackCreds, startStack, type RunningStack } from "../support/stack";

/**
 * `alchemist deploy` as a pipeline runs it: against the real local stack (hub + its executor)
 * and a leaf with its own executor and the fake nixos-rebuild; the exit code and the JSON lines
 * are what a pipeline reads.
 */
describe("alchemist deploy", () => {
  let stack: RunningStack;
  let leaf: Awaited<ReturnType<typeof leafBesideStack>>;
  let dir: string;
  const LEAF = "cli-leaf";
  const minimal = join(REPO, "templates/minimal.json");
  const deploy = (args: string[], creds = stackCreds(stack.stateDir, "browser")) =>
    runCli(["deploy", ...args, "--creds", creds, "--servers", `nats://127.0.0.1:${stack.ports.client}`], process.env, 90_000);
  const lines = (stdout: string) => stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; event?: DeployEvent; [k: string]: unknown });
  const events = (stdout: string) => lines(stdout).flatMap((l) => (l.type === "event" ? [l.event!] : []));
  const summaries = async () => {
    const kv = await new Kvm(jetstream(leaf.nc, { domain: "hub" })).open(DEPLOYMENTS_BUCKET);
    return (await kv.status()).values;
  };

  beforeAll(async () => {
    stack = await startStack();
    leaf = await leafBesideStack(stack, LEAF);
    dir = mkdtempSync(join(tmpdir(), "alchemist-cli-deploy-"));
  }, 120_000);
  afterAll(async () => {
    await leaf?.stop();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("deploys, watches to the end and exits 0; --json is one object a line: review, sent, every event in order", async () => {
    const run = await deploy([minimal, "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--watch", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const [review, sent] = lines(run.stdout);
    expect(review).toMatchObject({ type: "review", instance: "cim-minimal", leaf: LEAF, action: "switch", baseline: null });
    expect((review!.files as { path: string }[]).map((f) => f.path)).toContain("hosts/cim-minimal/default.nix");
    expect(sent).toMatchObject({ type: "sent", leafId: LEAF });
    const seen = events(run.stdout);
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
    // Hashed by node:crypto, it is the hash the browser's pure SHA-256 gives the same design.
    expect(seen[0]).toMatchObject({ type: "accepted", designHash: designHash(parseDesign(readFileSync(minimal, "utf8")).design!) });
    expect(seen.at(-1)!.type).toBe("succeeded");
  });

  it("reviews against the last successful deployment: the changed node and file, nothing else", async () => {
    const design = JSON.parse(readFileSync(minimal, "utf8")) as { nodes: { id: string; kind: string; label?: string; config: Record<string, unknown> }[] };
    const nats = design.nodes.find((n) => n.kind.startsWith("nats-"))!;
    nats.config = { ...nats.config, port: 4333 };
    nats.label = 'Edge "${bus}"';
    const changed = join(dir, "changed.json");
    writeFileSync(changed, JSON.stringify(design));
    const run = await deploy([changed, "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const [review] = lines(run.stdout);
    expect(review!.baseline).toMatch(/^d-/);
    expect(review!.nodes).toEqual({ added: [], changed: [nats.id], removed: [] });
    // A node is named as the person named it, its id beside (the JSON keeps ids, with the labels apart).
    expect(review!.labels).toEqual({ [nats.id]: 'Edge "${bus}"' });
    expect((review!.files as { path: string }[]).map((f) => f.path)).toContain("hosts/cim-minimal/default.nix");
  });

  it("exits 3 when the build fails, with the failure as the last event", async () => {
    const control = join(leaf.executor.control, "build.exit");
    writeFileSync(control, "1");
    try {
      const run = await deploy([minimal, "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--watch", "--json"]);
      expect(run.code, run.stderr).toBe(3);
      expect(events(run.stdout).at(-1)).toMatchObject({ type: "failed" });
    } finally {
      unlinkSync(control);
    }
  });

  it("sends the flake.lock the design file keeps for the instance, and asks the leaf to lock afresh with --update-inputs", async () => {
    const lock = `${JSON.stringify({ nodes: { nixpkgs: { locked: { rev: "a".repeat(40), narHash: "sha256-A=", type: "github" } }, root: { inputs: { nixpkgs: "nixpkgs" } } }, root: "root", version: 7 })}\n`;
    const locked = join(dir, "locked.json");
    writeFileSync(locked, JSON.stringify({ ...JSON.parse(readFileSync(minimal, "utf8")), locks: { "cim-minimal": lock } }));
    const run = await deploy([locked, "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--watch", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const sent = lines(run.stdout).find((l) => l.type === "sent")!;
    const flakes = await new Kvm(jetstream(leaf.nc, { domain: "hub" })).open(FLAKES_BUCKET);
    expect(JSON.parse((await flakes.get(deploymentKey(LEAF, String(sent.deploymentId))))!.string())["flake.lock"]).toBe(lock);
    // This leaf has no nix: asked to update the inputs, it fails rather than deploy them unpinned.
    const update = await deploy([locked, "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--watch", "--json", "--update-inputs"]);
    expect(update.code, update.stderr).toBe(3);
    expect(events(update.stdout).at(-1)).toMatchObject({ type: "failed", error: { code: "E_LOCK_FAILED" } });
  });

  it("exits 6 when the leaf rejects the command: signed by a person it does not trust", async () => {
    const made = await runCli(["creds", "--person", "mallory", "--state-dir", stack.stateDir]);
    expect(made.code, made.stderr).toBe(0);
    const run = await deploy([minimal, "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--watch"], stackCreds(stack.stateDir, "mallory"));
    expect(run.code, run.stderr).toBe(6);
    expect(run.stdout).toContain("rejected: E_CMD_UNTRUSTED_KEY");
  });

  it("sends nothing for bad input, each a one-line error with its code and exit 1", async () => {
    const before = await summaries();
    const broken = join(dir, "broken.json");
    const design = JSON.parse(readFileSync(minimal, "utf8")) as { nodes: { kind: string; config: Record<string, unknown> }[] };
    design.nodes.find((n) => n.kind.startsWith("nats-"))!.config.port = "not a port";
    writeFileSync(broken, JSON.stringify(design));
    const cases: [string[], RegExp][] = [
      [[broken, "--instance", "cim-minimal", "--yes"], /not sent; fix the errors above/],
      [[minimal, "--instance", "cim-nowhere", "--yes"], /error E_UNKNOWN_INSTANCE: the design defines no instance cim-nowhere; it defines cim-minimal/],
      [[minimal, "--instance", "cim-minimal", "--yes"], /error E_NO_LEAF: 2 online leaves serve cim-minimal \(.*\); choose one with --leaf/],
      [[minimal, "--instance", "cim-minimal", "--leaf", "ghost", "--yes"], /error E_LEAF_UNREGISTERED: Leaf ghost has never registered/],
      [[minimal, "--instance", "cim-minimal", "--leaf", LEAF], /error E_USAGE: the input is not a terminal.*--yes/],
      [[minimal, "--instance", "cim-minimal", "--action", "reboot"], /error E_USAGE: --action must be one of/],
    ];
    for (const [args, expected] of cases) {
      const run = await deploy(args);
      expect(run.code, `${args.join(" ")}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(run.stderr, args.join(" ")).toMatch(expected);
    }
    const refused = await deploy([minimal, "--instance", "cim-minimal", "--leaf", LEAF, "--yes"], join(dir, "missing.creds"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error E_USAGE: cannot read the credentials file .*missing\.creds \(ENOENT\)/);
    expect(await summaries()).toBe(before);
  });

  describe("watch, history and rollback", () => {
    const hub = (command: string, args: string[]) => runCli([command, ...args, "--creds", stackCreds(stack.stateDir, "browser"), "--servers", `nats://127.0.0.1:${stack.ports.client}`], process.env, 90_000);
    type Summary = { deploymentId: string; state: string; rollbackOf: string | null; leafId: string; signer: { name: string } };

    it("history lists the instance's deployments newest first, as text and as the registry's JSON; watch replays an ended one with its exit code", async () => {
      const sent = await deploy([minimal, "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--json"]);
      expect(sent.code, sent.stderr).toBe(0);
      const id = lines(sent.stdout).find((l) => l.type === "sent")!.deploymentId as string;
      const watched = await hub("watch", [id, "--json"]);
      expect(watched.code, watched.stderr).toBe(0);
      const seen = events(watched.stdout);
      expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
      expect(seen.at(-1)!.type).toBe("succeeded");

      const json = await hub("history", ["cim-minimal", "--json"]);
      expect(json.code, json.stderr).toBe(0);
      const listed = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as Summary);
      expect(listed[0]).toMatchObject({ deploymentId: id, state: "succeeded", leafId: LEAF });
      expect(listed.map((d) => d.state)).toContain("failed"); // the build that failed above
      const text = await hub("history", ["cim-minimal", "--limit", "2"]);
      expect(text.stdout.trim().split("\n")).toHaveLength(2);
      expect(text.stdout.split("\n")[0]).toMatch(new RegExp(`${id}  ${LEAF}  switch  succeeded  by `));
      expect((await hub("history", ["cim-nowhere"])).stdout).toContain("no deployments of cim-nowhere");
    });

    it("rollback deploys an earlier success's files again as a new deployment, watched to its end", async () => {
      const listed = (await hub("history", ["cim-minimal", "--json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as Summary);
      const older = listed.filter((d) => d.state === "succeeded")[1]!;
      const run = await hub("rollback", ["cim-minimal", "--to", older.deploymentId, "--yes", "--watch", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const [review, sent] = lines(run.stdout);
      expect(review).toMatchObject({ type: "review", instance: "cim-minimal", leaf: older.leafId });
      const seen = events(run.stdout);
      expect(seen.at(-1)!.type).toBe("succeeded");
      const after = (await hub("history", ["cim-minimal", "--json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as Summary);
      expect(after[0]).toMatchObject({ deploymentId: sent!.deploymentId, rollbackOf: older.deploymentId, state: "succeeded" });
    });

    it("refuses what cannot be watched or rolled back, naming it, exit 1", async () => {
      const listed = (await hub("history", ["cim-minimal", "--json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as Summary);
      const failed = listed.find((d) => d.state === "failed")!;
      const cases: [string, string[], RegExp][] = [
        ["watch", ["d-never-was"], /error E_UNKNOWN_DEPLOYMENT: the hub's registry has no deployment d-never-was/],
        ["rollback", ["cim-minimal", "--to", "d-never-was", "--yes"], /error E_UNKNOWN_DEPLOYMENT: .*no deployment d-never-was of cim-minimal/],
        ["rollback", ["cim-other", "--to", failed.deploymentId, "--yes"], /is a deployment of cim-minimal/],
        ["rollback", ["cim-minimal", "--to", failed.deploymentId, "--yes"], /error E_ROLLBACK_TARGET: deployment .* ended failed/],
        ["rollback", ["cim-minimal", "--yes"], /error E_USAGE: give the deployment to go back to with --to/],
        ["history", ["cim-minimal", "--limit", "0"], /error E_USAGE: --limit must be a whole number/],
      ];
      // Six CLI processes one after another took over 30 s on a loaded machine; they are independent.
      const runs = await Promise.all(cases.map(([command, args]) => hub(command, args)));
      cases.forEach(([command, args, expected], i) => {
        expect(runs[i]!.code, `${command} ${args.join(" ")}: ${runs[i]!.stdout}${runs[i]!.stderr}`).toBe(1);
        expect(runs[i]!.stderr, `${command} ${args.join(" ")}`).toMatch(expected);
      });
    }, 120_000);
  });
});
