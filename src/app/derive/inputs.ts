import { LOCK_FILE, describeChange, inputChanges, lockedInputs } from "../../core/compile/lock";
import { plural } from "../ui/text";

/** What the deploy review says of the flake's inputs: whether they will be locked, and what moved since the last deployment. */
export interface InputsReview {
  readonly summary: string;
  /** `nixpkgs 1a2b… → 3c4d…`, one per input whose pin differs from the deployed lock's. */
  readonly changes: readonly string[];
}

/**
 * The inputs part of the review of a deployment of `instance`: `sent` is the flake.lock it
 * sends (the one kept with the design) or undefined, `deployed` the files of the last
 * successful deployment (null when there is none or cim_flakes no longer has them).
 */
export function inputsReview(instance: string, sent: string | undefined, deployed: Readonly<Record<string, string>> | null, updateInputs: boolean): InputsReview {
  if (updateInputs) return { summary: `The leaf locks every input of ${instance} afresh (Update inputs): what moved shows in the prepare step's log, and the new lock is kept after the deployment succeeds.`, changes: [] };
  if (sent === undefined) return { summary: `No ${LOCK_FILE} is kept for ${instance}: the leaf locks the inputs on this deployment, and the lock is kept after it succeeds.`, changes: [] };
  const pins = lockedInputs(sent);
  if (!pins.ok) return { summary: `The kept ${LOCK_FILE} of ${instance} cannot be read (${pins.error.message}): the leaf will refuse it; tick Update inputs to lock them afresh.`, changes: [] };
  const summary = `Inputs pinned by the kept ${LOCK_FILE} (${plural(pins.value.length, "input")}).`;
  const before = deployed && Object.hasOwn(deployed, LOCK_FILE) ? lockedInputs(deployed[LOCK_FILE]!) : null;
  if (!before?.ok) return { summary, changes: [] };
  return { summary, changes: inputChanges(before.value, pins.value).map(describeChange) };
}
