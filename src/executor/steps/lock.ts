import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { LOCK_FILE, describeChange, inputChanges, lockedInputs, type LockedInput } from "../../core/compile/lock";
import { err, reasonOf } from "../../core/errors";
import { which } from "../which";
import { failed, fromRun, type StepContext, type StepResult } from "./context";

const NIX_FLAKES = ["--extra-experimental-features", "nix-command flakes"];

const pins = (inputs: readonly LockedInput[]): string => (inputs.length === 0 ? "no inputs" : inputs.map((i) => `${i.input} ${i.revision}`).join(", "));

/**
 * Pins the flake's inputs in the deployment folder before anything is evaluated, so what is
 * built, and later rolled back to, is the same code whatever the inputs' branches do since.
 * `nix flake lock` keeps every pin of the flake.lock sent and only adds inputs it lacks (the
 * first deployment of an instance, an input the design gained); with `updateInputs` the lock
 * sent is set aside and every input is pinned afresh. The lock written is then one of the files: it is
 * stored with them in cim_flakes (where the app reads it back) and redeployed by a rollback.
 * Null when the folder holds a usable lock; otherwise the step's end, saying why not.
 */
export async function lockInputs(ctx: StepContext): Promise<StepResult | null> {
  const sent = ctx.plan.files[LOCK_FILE];
  const before = sent === undefined ? undefined : lockedInputs(sent);
  if (before && !before.ok && !ctx.plan.updateInputs) return failed(err("E_LOCK_INVALID", `the ${LOCK_FILE} sent with the deployment cannot be used: ${before.error.message}; deploy with "update inputs" to lock them afresh`));
  const tool = which(ctx.config.tools.nix);
  if (!tool) {
    if (ctx.plan.updateInputs) return failed(err("E_LOCK_FAILED", `the deployment asks to update the flake's inputs, but ${ctx.config.tools.nix} is not found on this host: install Nix or name it with --nix`));
    // Without nix here nothing can be pinned: the deployment goes on as the files say, and says so.
    ctx.events.logLine("prepare", "stderr", sent === undefined
      ? `${LOCK_FILE}: not locked, ${ctx.config.tools.nix} is not found on this host; nixos-rebuild resolves the inputs itself, unpinned`
      : `${LOCK_FILE}: used as sent (${ctx.config.tools.nix} is not found on this host to check it)`);
    return null;
  }
  // Without the old lock, `nix flake lock` pins every input afresh, as `nix flake update` would, and an unreadable old lock is no obstacle.
  if (ctx.plan.updateInputs) await rm(join(ctx.dir, LOCK_FILE), { force: true });
  // Fetching inputs is the first part of an evaluation: it gets the evaluate step's time.
  const r = await ctx.run("prepare", tool, [...NIX_FLAKES, "flake", "lock", `path:${ctx.dir}`], { timeoutMs: ctx.config.stepTimeoutsMs.evaluate });
  const ran = fromRun(`nix flake lock`, r, ctx.config.stepTimeoutsMs.evaluate);
  if (ran.status !== "ok") {
    if (!ran.error) return ran;
    // Nix's own error lines (the message's tail) name the URL it could not fetch when it knows it.
    return failed(err("E_LOCK_FAILED", `locking the flake's inputs failed: ${ran.error.message}; check that every input's URL is reachable from this leaf`));
  }
  let text: string;
  try {
    text = await readFile(join(ctx.dir, LOCK_FILE), "utf8");
  } catch (e) {
    return failed(err("E_LOCK_FAILED", `nix flake lock wrote no ${LOCK_FILE} (${reasonOf(e)})`));
  }
  const after = lockedInputs(text);
  if (!after.ok) return failed(err("E_LOCK_FAILED", `nix flake lock wrote a ${LOCK_FILE} this executor cannot read: ${after.error.message}`));
  ctx.plan.files[LOCK_FILE] = text;
  if (sent === undefined) ctx.events.logLine("prepare", "stdout", `${LOCK_FILE}: created, ${pins(after.value)}`);
  else if (text === sent) ctx.events.logLine("prepare", "stdout", `${LOCK_FILE}: kept as sent, ${pins(after.value)}`);
  else ctx.events.logLine("prepare", "stdout", `${LOCK_FILE}: changed: ${inputChanges(before?.ok ? before.value : [], after.value).map(describeChange).join("; ") || "the same pins, written anew"}`);
  return null;
}
