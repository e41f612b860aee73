import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { err, messageOf, type AlchemistError } from "../../core/errors";
import { STORE_STREAMS, deploymentKey, filePathProblem, storeRefusal } from "../../core/protocol";
import { failed, ok, type Step } from "./context";
import { lockInputs } from "./lock";

/** What a failed write means for a person: a full disk is said plainly; anything else names its errno. */
function writeProblem(e: unknown, root: string, path: string, written: number, total: number): AlchemistError {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `writing ${path} into ${root} (${written} of ${total} files written; the partial folder was removed)`;
  if (code === "ENOSPC" || code === "EDQUOT") {
    return err("E_DISK_FULL", `no space left on the leaf's disk${code === "EDQUOT" ? " (quota)" : ""} while ${where}: free space in the executor's work folder and deploy again`);
  }
  return err("E_STEP_FAILED", `prepare: ${code ?? messageOf(e)} while ${where}`);
}

/**
 * Writes the files into a fresh folder for this deployment, pins the flake's inputs in its
 * flake.lock (lockInputs), and keeps a copy of the files, the lock with them, in cim_flakes.
 * A write that fails (a full disk) removes the folder again, so what it took is free for the
 * next deployment, and ends the step with the reason.
 */
export const prepare: Step = async (ctx) => {
  const root = resolve(ctx.dir);
  await rm(root, { recursive: true, force: true });
  const paths = Object.keys(ctx.plan.files).sort();
  let written = 0;
  let path = ".";
  try {
    await mkdir(root, { recursive: true });
    for (path of paths) {
      // The command parser refused such paths already; a second look costs nothing here.
      const target = resolve(root, path);
      if (filePathProblem(path) || !target.startsWith(root + sep)) {
        return failed(err("E_CMD_PATH", `file ${JSON.stringify(path)} would be written outside the deployment folder`));
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, ctx.plan.files[path]!, { mode: 0o640 });
      written++;
    }
  } catch (e) {
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
    return failed(writeProblem(e, root, path, written, paths.length));
  }
  const unlocked = await lockInputs(ctx);
  if (unlocked) {
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
    return unlocked;
  }
  // Under this leaf's own key: no other leaf can write it, so a rollback here deploys only what was sent here.
  const stored = JSON.stringify(ctx.plan.files);
  try {
    await ctx.stores.flakes.put(deploymentKey(ctx.config.leafId, ctx.plan.deploymentId), stored);
  } catch (e) {
    // A store at its limit: the deployment cannot be rolled back to later, so it does not go on, and leaves no folder.
    const refusal = storeRefusal(STORE_STREAMS.flakes, e, `the files of deployment ${ctx.plan.deploymentId} (${stored.length} bytes)`);
    if (!refusal) throw e;
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
    return failed(refusal);
  }
  ctx.events.logLine("prepare", "stdout", `wrote ${Object.keys(ctx.plan.files).length} files to ${join(root)}`);
  return ok();
};
