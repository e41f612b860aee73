import type { Step } from "./context";
import { nixosRebuild } from "./nixosRebuild";

/** Evaluates the host's configuration (dry-build: evaluation and the build plan, nothing built). */
export const evaluate: Step = (ctx) => nixosRebuild(ctx, "evaluate", "dry-build");
