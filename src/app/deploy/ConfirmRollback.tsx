import { useState } from "react";
import type { DeploymentSummary } from "../../core/protocol";
import { messageOf } from "../../core/errors";
import { Confirm } from "../ui/Confirm";
import { time } from "../derive/format";
import { connected, useDeployRuntime } from "../hub/runtimeContext";

/**
 * Asks before a rollback, naming what will be deployed where: it redeploys a host, and one
 * click on the wrong row must not do that. Sent, it calls `onSent`; refused, it says why.
 */
export function ConfirmRollback({ target, onSent, onCancel }: { target: DeploymentSummary; onSent: () => void; onCancel: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const runtime = useDeployRuntime();
  const answer = async (yes: boolean) => {
    if (!yes) return onCancel();
    try {
      await connected(runtime).rollback({ leafId: target.leafId, instance: target.instance, deploymentId: target.deploymentId });
      onSent();
    } catch (e) {
      setProblem(`The rollback to ${target.deploymentId} was not sent: ${messageOf(e)}`);
    }
  };
  return (
    <Confirm title={`Roll back ${target.instance}?`} confirm={`Roll back to ${target.deploymentId}`} cancel="Cancel" onAnswer={(yes) => void answer(yes)}>
      <p>
        This deploys the files of <span className="break-all font-mono">{target.deploymentId}</span> (finished {time(target.finishedAt)}) again, with <code>switch</code>, to{" "}
        <span className="font-mono">
          {target.instance} on leaf {target.leafId}
        </span>
        , as a new deployment.
      </p>
      {problem && (
        <p role="alert" className="text-red-700">
          {problem}
        </p>
      )}
    </Confirm>
  );
}
