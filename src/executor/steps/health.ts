import { unitsOf } from "../../core/catalog/units";
import { parseDesignShape } from "../../core/design/load";
import { err } from "../../core/errors";
import { analyze } from "../../core/validate/analyze";
import { which } from "../which";
import { failed, notActivated, ok, skipped, type Step, type StepContext } from "./context";
import { DESIGN_FILE } from "../../core/compile/paths";

/** The units the design implies for this instance, read from the alchemist.json the command carries. */
function expectedUnits(ctx: StepContext): { units: { unit: string; nodeId: string }[] } | { skip: string } {
  const text = ctx.plan.files[DESIGN_FILE];
  if (text === undefined) return { skip: "the files carry no alchemist.json, so the units to check are unknown" };
  const { design } = parseDesignShape(text);
  if (!design) return { skip: "alchemist.json does not hold a readable design" };
  const instance = analyze(design).instances.find((i) => i.view.hostId === ctx.plan.instance);
  if (!instance) return { skip: `alchemist.json has no instance ${ctx.plan.instance}` };
  return { units: unitsOf(instance.view) };
}

/** After activation: is every unit the design implies active? Each answer is a unit-status event. */
export const health: Step = async (ctx) => {
  const idle = notActivated(ctx);
  if (idle) return idle;
  const expected = expectedUnits(ctx);
  if ("skip" in expected) return skipped(expected.skip);
  if (expected.units.length === 0) return ok("the design implies no units");
  const tool = which(ctx.config.tools.systemctl);
  if (!tool) return skipped(`${ctx.config.tools.systemctl} not found on this host`);
  const r = await ctx.run("health", tool, ["is-active", ...expected.units.map((u) => u.unit)], { quietStdout: true });
  if (r.cancelled) return { status: "failed", reason: "cancelled" };
  const down: string[] = [];
  for (const [i, { unit, nodeId }] of expected.units.entries()) {
    const state = r.stdout[i]?.trim() || "unknown";
    const active = state === "active";
    if (!active) down.push(`${unit} (${state})`);
    await ctx.events.emit({ type: "unit-status", unit, nodeId, active, state });
  }
  if (down.length > 0) return failed(err("E_STEP_FAILED", `not active after activation: ${down.join(", ")}`));
  return ok(`${expected.units.length} units active`);
};
