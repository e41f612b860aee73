import { which } from "../which";
import { ACTIVATING, failed, skipped, type Step } from "./context";
import { nixosRebuild } from "./nixosRebuild";

/**
 * Applies the action: switch, test, boot or dry-activate. `build` stops before this. A switch
 * or test starts only once the system it replaces is recorded, since that is what a rollback
 * (after a failure, a cancel, no confirmation, or a crash of the executor) goes back to.
 */
export const activate: Step = async (ctx) => {
  if (ctx.plan.action === "build") return skipped("action build does not activate");
  if (ACTIVATING.includes(ctx.plan.action) && which(ctx.config.tools.nixosRebuild)) {
    const problem = ctx.recordActivation();
    if (problem) return failed(problem);
  }
  return nixosRebuild(ctx, "activate", ctx.plan.action);
};
