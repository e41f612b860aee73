import type { StoreApi } from "zustand";
import { DEFAULT_CONFIRM, emptyView, foldBatch, isFinished, own, type DeploymentView, type Command, type ConfirmSpec, type DeployCommand, type DesignRef, type RollbackCommand, type DeployAction, type DeployEvent } from "../../core/protocol";
import { AlchemistFailure, err, messageOf } from "../../core/errors";
import type { AppState } from "../store/state";
import type { DeployClient, Stop } from "../../client/deployClient";
import { LogBuffer } from "../derive/logs";
import { LOCK_FILE, lockedInputs } from "../../core/compile/lock";

/**
 * The deploy layer on one hub connection: its DeployClient, the registry watches, the
 * deployments followed event by event and their log buffers. One is made per connection
 * (`createDeployRuntime`) and handed to the components (hub/runtimeContext); `dispose` stops
 * everything it started, so a hub change or a closed connection leaves nothing running.
 * Events are folded in small batches (one store update per FLUSH_MS) so a fast log never
 * floods React.
 */
export interface DeployRuntime {
  /** Sends a deploy command and opens its deployment; resolves to the deployment id. */
  deploy(r: DeployRequest): Promise<string>;
  /** Deploys again the files of an earlier successful deployment, as a new deployment, and opens it. */
  rollback(to: { leafId: string; instance: string; deploymentId: string }): Promise<string>;
  /**
   * A cancel of a deployment no leaf has taken yet (no event of it is in) is also left where the
   * leaf looks before starting it (DeployClient.cancelBeforeStart), so it never starts.
   */
  control(type: "cancel" | "confirm", target: { leafId: string; deploymentId: string }): Promise<void>;
  /** How long the hub keeps a command its leaf has not taken (the command stream's max age), in seconds. */
  commandsKeptSeconds(): Promise<number>;
  /** Reads a deployment's files from cim_flakes once (they never change) into `deployedFiles`. */
  loadFiles(d: { leafId: string; deploymentId: string }): void;
  /** Follows exactly these deployments: starts the new ones, stops (and forgets) the others. */
  followOnly(deploymentIds: readonly string[]): void;
  /** The log lines of a deployment, as far as they are in. */
  logsOf(deploymentId: string): LogBuffer;
  /** Stops the watches and the follows, and tells the store the deploy layer is gone. */
  dispose(): void;
}

export interface DeployRequest {
  leafId: string;
  instance: string;
  action: DeployAction;
  files: Readonly<Record<string, string>>;
  /** The compiler's hash of `files["alchemist.json"]`, the design these files come from. */
  designHash: string;
  confirm: ConfirmSpec;
  /** The leaf locks every input afresh instead of keeping the pins of the flake.lock among `files`. */
  updateInputs?: boolean;
  /** The hub revision of the open design these files were compiled from (absent while it is not on the hub). */
  design?: DesignRef;
}

/** What the runtime needs of a client: DeployClient, or a stand-in in a test. */
export type HubClient = Pick<DeployClient, "newId" | "send" | "cancelBeforeStart" | "commandsKeptSeconds" | "watchLeaves" | "watchDeployments" | "follow" | "files">;

const FLUSH_MS = 30;
const RETRY_MS = 3000;

/** What every command carries. */
type Envelope = Pick<Command, "v" | "commandId" | "deploymentId" | "leafId" | "requestedAt">;

interface Following {
  stop: Stop;
  pending: DeployEvent[];
  timer?: ReturnType<typeof setTimeout>;
}

export function createDeployRuntime(client: HubClient, store: StoreApi<AppState>): DeployRuntime {
  let disposed = false;
  const watches: Stop[] = [];
  const retries = new Set<ReturnType<typeof setTimeout>>();
  const follows = new Map<string, Following>();
  const logs = new Map<string, LogBuffer>();
  const loading = new Set<string>();
  /** The deployments sent from here, until they end: a success's flake.lock is kept with the design they came from. */
  const sent = new Map<string, { instance: string; designId: string }>();
  let keptSeconds: Promise<number> | undefined;
  const state = () => store.getState();

  /** Something the deploy layer dropped or could not do: the Deploy bar's problem line, and the console's. */
  function problem(text: string): void {
    if (disposed) return;
    console.warn(`alchemist deploy: ${text}`);
    state().setDeployProblem(text);
  }

  /** A bucket exists only once an executor has started: until then, say so and try again. */
  function keepWatching(bucket: string, start: () => Promise<Stop>): void {
    start().then(
      (stop) => (disposed ? stop() : watches.push(stop)),
      (e: unknown) => {
        if (disposed) return;
        problem(`cannot watch ${bucket} on the hub: ${messageOf(e)}; retrying`);
        const retry = setTimeout(() => {
          retries.delete(retry);
          if (!disposed) keepWatching(bucket, start);
        }, RETRY_MS);
        retries.add(retry);
      },
    );
  }

  function logsOf(deploymentId: string): LogBuffer {
    let b = logs.get(deploymentId);
    if (!b) logs.set(deploymentId, (b = new LogBuffer()));
    return b;
  }

  function flush(deploymentId: string): void {
    const f = follows.get(deploymentId);
    if (!f) return;
    f.timer = undefined;
    const events = f.pending;
    f.pending = [];
    const buffer = logsOf(deploymentId);
    const batch = foldBatch(own(state().views, deploymentId) ?? emptyView(deploymentId), events);
    // The fold drops duplicates by seq and other leaves' events; the log takes exactly the lines the fold accepted.
    for (const e of batch.applied) if (e.type === "step-log") buffer.append(e);
    for (const why of batch.dropped) problem(`${why}; dropped`);
    state().setView(batch.view);
    if (isFinished(batch.view)) keepLockOf(batch.view);
  }

  /**
   * After a deployment sent from here succeeded, the flake.lock it was built with (the leaf
   * stored it with its files) is kept with its design, for the instance's next deployment.
   */
  function keepLockOf(view: DeploymentView): void {
    const origin = sent.get(view.deploymentId);
    if (!origin || view.leafId === undefined) return;
    sent.delete(view.deploymentId);
    if (view.status !== "succeeded") return;
    client.files(view.leafId, view.deploymentId).then(
      (files) => {
        const lock = files && Object.hasOwn(files, LOCK_FILE) ? files[LOCK_FILE]! : undefined;
        // Another design opened meanwhile is not the one deployed; a leaf without nix locks nothing.
        if (disposed || lock === undefined || state().designId !== origin.designId) return;
        const read = lockedInputs(lock);
        if (read.ok) state().keepLock(origin.instance, lock);
        else problem(`the flake.lock of ${view.deploymentId} was not kept: ${read.error.message}`);
      },
      (e: unknown) => problem(`cannot read the flake.lock of ${view.deploymentId} from cim_flakes: ${messageOf(e)}`),
    );
  }

  /**
   * The leaf a deployment runs on, by its summary, before any of its events is in. Each leaf
   * writes summaries under its own key only, so two leaves can both claim an id: then neither
   * is believed, and the first to speak in the stream (the one that ran it; a forger can only
   * copy an id it has seen) pins it.
   */
  function leafOf(deploymentId: string): string | undefined {
    const claims = new Set(Object.values(state().deployments).flatMap((d) => (d.deploymentId === deploymentId ? [d.leafId] : [])));
    return claims.size === 1 ? [...claims][0] : undefined;
  }

  function follow(deploymentId: string): void {
    if (disposed || follows.has(deploymentId)) return;
    const f: Following = { stop: () => undefined, pending: [] };
    follows.set(deploymentId, f);
    const view = own(state().views, deploymentId) ?? emptyView(deploymentId, leafOf(deploymentId));
    state().setView(view);
    f.stop = client.follow(
      deploymentId,
      (e) => {
        f.pending.push(e);
        f.timer ??= setTimeout(() => flush(deploymentId), FLUSH_MS);
      },
      problem,
      // Only that leaf can publish on its own subjects: follow those when the leaf is known.
      view.leafId,
    );
  }

  function unfollow(deploymentId: string): void {
    const f = follows.get(deploymentId);
    if (!f) return;
    f.stop();
    clearTimeout(f.timer);
    follows.delete(deploymentId);
    state().dropView(deploymentId);
    logs.delete(deploymentId);
  }

  /**
   * The client, for a command to `leafId`. A leaf that has never registered has no executor
   * reading its commands: a command for it would only wait in the stream until it expires.
   */
  function connectedFor(leafId: string): HubClient {
    if (!(leafId in state().leaves)) {
      throw new AlchemistFailure(err("E_LEAF_UNREGISTERED", `leaf ${leafId} has never registered with the hub, so no executor takes its commands: start its executor first (alchemist executor --leaf-id ${leafId})`));
    }
    if (disposed) throw new Error("not connected to the hub");
    return client;
  }

  /**
   * Sends the command that starts a new deployment on `leafId`, and opens that deployment pinned
   * to the leaf it was sent to (only that leaf's events are its); resolves to its id.
   */
  async function startDeployment<C extends DeployCommand | RollbackCommand>(leafId: string, type: C["type"], body: Omit<C, keyof Envelope | "type">): Promise<string> {
    const c = connectedFor(leafId);
    const deploymentId = c.newId("d");
    // In the order the fields were always sent: the envelope first, the time last.
    await c.send({ v: 1, type, commandId: c.newId("c"), deploymentId, leafId, ...body, requestedAt: new Date().toISOString() } as C);
    sent.set(deploymentId, { instance: body.instance, designId: state().designId });
    state().setView(emptyView(deploymentId, leafId));
    state().openDeployment(deploymentId);
    return deploymentId;
  }

  state().setDeployLinked(true);
  keepWatching("cim_leaves", () => client.watchLeaves((leaves) => disposed || state().setLeaves(leaves), problem));
  keepWatching("cim_deployments", () => client.watchDeployments((deployments) => disposed || state().setDeployments(deployments), problem));

  return {
    deploy: (r) =>
      startDeployment<DeployCommand>(r.leafId, "deploy", {
        instance: r.instance,
        action: r.action,
        files: { ...r.files },
        designHash: r.designHash,
        confirm: r.confirm,
        ...(r.updateInputs ? { updateInputs: true } : {}),
        ...(r.design ? { design: r.design } : {}),
      }),

    rollback: (to) => startDeployment<RollbackCommand>(to.leafId, "rollback", { instance: to.instance, toDeploymentId: to.deploymentId, action: "switch", confirm: DEFAULT_CONFIRM }),

    async control(type, target) {
      const c = connectedFor(target.leafId);
      const command = () => ({ v: 1 as const, commandId: c.newId("c"), deploymentId: target.deploymentId, leafId: target.leafId, requestedAt: new Date().toISOString() });
      // Its own command id: the stream drops a second message with the same id as a duplicate.
      if (type === "cancel" && own(state().views, target.deploymentId)?.status === "pending") await c.cancelBeforeStart({ ...command(), type });
      // Still sent: should the leaf take the deploy between the two, this one cancels it running.
      await c.send({ ...command(), type });
    },

    commandsKeptSeconds() {
      keptSeconds ??= client.commandsKeptSeconds().catch((e: unknown) => {
        keptSeconds = undefined;
        throw e;
      });
      return keptSeconds;
    },

    loadFiles({ leafId, deploymentId }) {
      if (disposed || loading.has(deploymentId) || Object.hasOwn(state().deployedFiles, deploymentId)) return;
      loading.add(deploymentId);
      client.files(leafId, deploymentId).then(
        (files) => disposed || state().setDeployedFiles(deploymentId, files),
        (e: unknown) => {
          loading.delete(deploymentId);
          problem(`cannot read the files of ${deploymentId} from cim_flakes: ${messageOf(e)}`);
        },
      );
    },

    followOnly(ids) {
      for (const id of ids) follow(id);
      for (const id of [...follows.keys()]) if (!ids.includes(id)) unfollow(id);
    },

    logsOf,

    dispose() {
      if (disposed) return;
      for (const id of [...follows.keys()]) unfollow(id);
      disposed = true;
      for (const stop of watches.splice(0)) stop();
      for (const retry of retries) clearTimeout(retry);
      retries.clear();
      loading.clear();
      sent.clear();
      logs.clear();
      state().setDeployLinked(false);
    },
  };
}
