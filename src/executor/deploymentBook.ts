import type { KV } from "@nats-io/kv";
import { deploymentKey, type DeploymentSummary } from "../core/protocol";

/** About 300 bytes each: the summaries this process wrote or read lately, a few MB at most. */
const REMEMBERED = 10_000;

/**
 * This leaf's deployment summaries. The ones this executor wrote or read are kept in memory;
 * any other is read from cim_deployments when first asked for, by a direct get of this leaf's
 * own key — the only read of the bucket a leaf's permissions allow (a watch would need a
 * consumer, and a consumer could deliver the bucket's entries to any subject). Whether a
 * command is new needs no look-up: see Executor.onDeploy.
 */
export class DeploymentBook {
  private readonly byId = new Map<string, DeploymentSummary>();

  constructor(
    private readonly kv: KV,
    private readonly leafId: string,
    private readonly log: (line: string) => void,
  ) {}

  /** What this process knows of a deployment without asking the hub. */
  cached(deploymentId: string): DeploymentSummary | undefined {
    return this.byId.get(deploymentId);
  }

  /** The summary of one of this leaf's deployments, asking the hub when it is not known here. */
  async lookup(deploymentId: string): Promise<DeploymentSummary | undefined> {
    const known = this.byId.get(deploymentId);
    if (known) return known;
    const key = deploymentKey(this.leafId, deploymentId);
    const e = await this.kv.get(key);
    if (!e || e.operation !== "PUT" || e.length === 0) return undefined;
    try {
      const summary = e.json<DeploymentSummary>();
      this.record(summary);
      return summary;
    } catch {
      this.log(`cim_deployments entry ${key} is not a summary; taken as unknown`);
      return undefined;
    }
  }

  record(summary: DeploymentSummary): void {
    this.byId.delete(summary.deploymentId);
    this.byId.set(summary.deploymentId, summary);
    if (this.byId.size > REMEMBERED) this.byId.delete(this.byId.keys().next().value!);
  }
}
