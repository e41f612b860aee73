import { join } from "node:path";
import { which } from "../which";
import { fromRun, ok, skipped, type Step } from "./context";

/** Parses every .nix file with the real Nix parser before anything is evaluated. */
export const check: Step = async (ctx) => {
  const tool = which(ctx.config.tools.nixInstantiate);
  if (!tool) return skipped(`${ctx.config.tools.nixInstantiate} not found on this host`);
  const files = Object.keys(ctx.plan.files).filter((p) => p.endsWith(".nix")).sort();
  if (files.length === 0) return ok("no .nix files");
  // The dummy store needs no Nix daemon or build users; parsing touches no store.
  const r = await ctx.run("check", tool, ["--store", "dummy://", "--parse", ...files.map((f) => join(ctx.dir, f))], { quietStdout: true });
  const result = fromRun("nix-instantiate --parse", r, ctx.config.stepTimeoutsMs.check);
  return result.status === "ok" ? ok(`${files.length} files parse`) : result;
};
