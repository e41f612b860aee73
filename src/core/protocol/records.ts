import type { AlchemistError } from "../errors";
import type { DeployAction, DesignRef } from "./commands";
import type { StepName } from "./events";
import type { Signer } from "./signing";

/** A leaf in the `cim_leaves` registry; the executor rewrites it at every heartbeat. */
export interface LeafRecord {
  leafId: string;
  hostname: string;
  version: string;
  /** Instances this leaf serves; "*" when it accepts any. */
  instances: string[];
  status: "idle" | "busy" | "offline";
  currentDeploymentId: string | null;
  lastSeen: string;
  /**
   * Which executor holds the leaf id (the entry is its lease): host and work folder, the same
   * across restarts of one installation. Absent in entries of executors before the lease.
   */
  holder?: string;
  /** The holder's process id, to tell a person which process it is. */
  pid?: number;
  /** A rollback on this leaf failed: a person must look (the reason names the system it is on). */
  attention?: { deploymentId: string; reason: string };
}

export type DeploymentState = "queued" | "running" | "awaiting-confirmation" | "succeeded" | "failed" | "cancelled";

export const TERMINAL_STATES: readonly DeploymentState[] = ["succeeded", "failed", "cancelled"];

/** The latest summary of one deployment, in `cim_deployments` under its id. */
export interface DeploymentSummary {
  deploymentId: string;
  commandId: string;
  leafId: string;
  instance: string;
  action: DeployAction;
  designHash: string;
  state: DeploymentState;
  step: StepName | null;
  /** Who signed the command, by the name the leaf's trusted keys give that key. */
  signer: Signer;
  /**
   * The stream sequence of the command's message in CIM_DEPLOY_COMMANDS: after a restart the
   * executor tells a redelivery of that message (it goes on) from the same signed bytes
   * published again (a replay, refused).
   */
  commandSeq: number;
  /** For a rollback: the deployment whose files were deployed again. */
  rollbackOf: string | null;
  /** The design revision on the hub the files were compiled from (a rollback's: its target's); absent when the design was not on the hub. */
  design?: DesignRef;
  /** When the leaf accepted the command, by the leaf's clock: the order of an instance's history. */
  acceptedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: AlchemistError | null;
}
