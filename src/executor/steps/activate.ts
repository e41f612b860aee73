import { skipped, type Step } from "./context";
import { nixosRebuild } from "./nixosRebuild";

/** Applies the action: switch, test, boot or dry-activate. `build` stops before this. */
export const activate: Step = async (ctx) => {
  if (ctx.plan.action === "build") return skipped("action build does not activate");
  return nixosRebuild(ctx, "activate", ctx.plan.action);
};
