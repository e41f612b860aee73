import { err, messageOf } from "../../core/errors";
import { failed, notActivated, ok, skipped, type Step, type StepContext } from "./context";

const NOT_CONFIRMED = "rolled back: not confirmed";

/** auto: the leaf must still reach the hub after activation (the activation may restart NATS, so keep trying). */
async function roundTrip(ctx: StepContext, deadline: number): Promise<string | null> {
  let last = "";
  while (Date.now() < deadline && !ctx.signal.aborted) {
    try {
      await ctx.stores.jsm.getAccountInfo();
      return null;
    } catch (e) {
      last = messageOf(e);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return last || "no answer";
}

/** Magic rollback: an activation stays only once it is confirmed. */
export const confirm: Step = async (ctx) => {
  const idle = notActivated(ctx);
  if (idle) return idle;
  const { mode, timeoutSeconds } = ctx.plan.confirm;
  const deadline = ctx.confirmDeadline();
  if (mode === "auto") {
    const problem = await roundTrip(ctx, deadline);
    if (ctx.signal.aborted) return { status: "failed", reason: "cancelled" };
    if (problem) return failed(err("E_NOT_CONFIRMED", `${NOT_CONFIRMED} (the hub could not be reached within ${timeoutSeconds} s: ${problem})`));
    ctx.markConfirmed();
    await ctx.events.emit({ type: "confirmed", reason: "the leaf reached the hub after activation" });
    return ok();
  }
  await ctx.events.emit({
    type: "awaiting-confirmation",
    reason: `send a confirm command within ${Math.max(0, Math.round((deadline - Date.now()) / 1000))} s or the activation is rolled back`,
    deadline: new Date(deadline).toISOString(),
  });
  const outcome = await ctx.waitForConfirm(deadline);
  if (outcome === "cancelled") return { status: "failed", reason: "cancelled" };
  if (outcome === "timeout") return failed(err("E_NOT_CONFIRMED", NOT_CONFIRMED));
  await ctx.events.emit({ type: "confirmed", reason: "confirmed by a confirm command" });
  return ok();
};
