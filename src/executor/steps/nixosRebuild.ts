import type { DeployAction, StepName } from "../../core/protocol";
import { which } from "../which";
import { flakeRef, fromRun, skipped, type StepContext, type StepResult } from "./context";

/** Runs `nixos-rebuild <verb> --flake path:<dir>#<instance> …` for a step, or says it is skipped here. */
export async function nixosRebuild(ctx: StepContext, step: StepName, verb: DeployAction | "dry-build", extra: string[] = []): Promise<StepResult> {
  const tool = which(ctx.config.tools.nixosRebuild);
  if (!tool) return skipped(`${ctx.config.tools.nixosRebuild} not found: this host is not NixOS`);
  const nixLog = extra.includes("--log-format");
  const r = await ctx.run(step, tool, [verb, "--flake", flakeRef(ctx), ...extra], { nixLog });
  return fromRun(`nixos-rebuild ${verb}`, r, ctx.config.stepTimeoutsMs[step]);
}
