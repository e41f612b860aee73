import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { err } from "../../core/errors";
import { deploymentKey, filePathProblem } from "../../core/protocol";
import { failed, ok, type Step } from "./context";

/** Writes the files into a fresh folder for this deployment and keeps a copy in cim_flakes. */
export const prepare: Step = async (ctx) => {
  const root = resolve(ctx.dir);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const paths = Object.keys(ctx.plan.files).sort();
  for (const path of paths) {
    // The command parser refused such paths already; a second look costs nothing here.
    const target = resolve(root, path);
    if (filePathProblem(path) || !target.startsWith(root + sep)) {
      return failed(err("E_CMD_PATH", `file ${JSON.stringify(path)} would be written outside the deployment folder`));
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, ctx.plan.files[path]!, { mode: 0o640 });
  }
  // Under this leaf's own key: no other leaf can write it, so a rollback here deploys only what was sent here.
  await ctx.stores.flakes.put(deploymentKey(ctx.config.leafId, ctx.plan.deploymentId), JSON.stringify(ctx.plan.files));
  ctx.events.logLine("prepare", "stdout", `wrote ${paths.length} files to ${join(root)}`);
  return ok();
};
