import type { KV } from "@nats-io/kv";
import type { DeploymentSummary } from "../core/protocol";

/**
 * Every summary in cim_deployments, kept in memory by a KV watch, so that deciding whether a
 * command is new, a duplicate or a deployment cut off by a restart costs no round trip to the
 * hub while someone waits for `accepted`. A summary is about 300 bytes: 100 000 deployments
 * are 30 MB. This executor records its own writes at once; other leaves' arrive by the watch.
 */
export class DeploymentBook {
  private readonly byId = new Map<string, DeploymentSummary>();
  private stopWatch: (() => void) | undefined;

  static async open(kv: KV, log: (line: string) => void): Promise<DeploymentBook> {
    const book = new DeploymentBook();
    const { values } = await kv.status();
    const watch = await kv.watch();
    book.stopWatch = () => watch.stop();
    let markLoaded: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    if (values === 0) markLoaded();
    void (async () => {
      for await (const e of watch) {
        if (e.operation === "PUT" && e.length > 0) {
          try {
            book.byId.set(e.key, e.json<DeploymentSummary>());
          } catch {
            log(`cim_deployments entry ${e.key} is not a summary; ignored`);
          }
        } else {
          book.byId.delete(e.key);
        }
        // delta counts what the watch still has to deliver of the bucket as it was.
        if (!e.isUpdate && e.delta === 0) markLoaded();
        if (e.isUpdate) markLoaded();
      }
    })().catch((e: unknown) => log(`cim_deployments watch ended: ${(e as Error).message}`));
    // Should the bucket report values the watch never delivers (all purged), do not hang the start.
    const timer = setTimeout(() => {
      log("cim_deployments: the initial watch did not finish in 10 s; going on with what arrived");
      markLoaded();
    }, 10_000);
    await loaded;
    clearTimeout(timer);
    return book;
  }

  get(deploymentId: string): DeploymentSummary | undefined {
    return this.byId.get(deploymentId);
  }

  record(summary: DeploymentSummary): void {
    this.byId.set(summary.deploymentId, summary);
  }

  stop(): void {
    this.stopWatch?.();
  }
}
