import type { Step } from "./context";
import { nixosRebuild } from "./nixosRebuild";

/** Builds the system closure; Nix's internal-json log feeds the progress bars. */
export const build: Step = (ctx) => nixosRebuild(ctx, "build", "build", ["--log-format", "internal-json", "-v"]);
