import { useEffect } from "react";
import { useShallow } from "zustand/react/shallow";
import { sha256Hex } from "../../core/hash";
import { DEFAULT_CONFIRM, emptyView, foldBatch, historyOf, lastSucceeded, own, type Command, type ConfirmSpec, type DeployAction, type DeployEvent, type DeploymentSummary } from "../../core/protocol";
import { useAppStore, type AppState } from "../store";
import type { DeployClient, Stop } from "./client";
import { instancesOf } from "./instances";
import { dropLogs, logsOf } from "./logs";
import { AlchemistFailure, err, messageOf } from "../../core/errors";

/**
 * The deploy layer's link to the hub: one DeployClient on the page's single hub connection,
 * the registry watches, and the deployments followed event by event. Events are folded in
 * small batches (one store update per FLUSH_MS) so a fast log never floods React.
 */

const FLUSH_MS = 30;
const RETRY_MS = 3000;

interface Following {
  stop: Stop;
  pending: DeployEvent[];
  timer?: ReturnType<typeof setTimeout>;
}

let client: DeployClient | undefined;
let watches: Stop[] = [];
const follows = new Map<string, Following>();
const loading = new Set<string>();
const store = () => useAppStore.getState();

/** Something the deploy layer dropped or could not do: the Deploy bar's problem line, and the console's. */
function problem(text: string): void {
  console.warn(`alchemist deploy: ${text}`);
  store().setDeployProblem(text);
}

/** Given the client on each new hub connection (undefined when it ends): the deploy layer lives as long as the connection. */
export function attachHub(next: DeployClient | undefined): void {
  for (const stop of watches) stop();
  watches = [];
  for (const id of [...follows.keys()]) unfollow(id);
  loading.clear();
  client = next;
  store().setDeployLinked(client !== undefined);
  if (!client) return;
  keepWatching(client, "cim_leaves", (c) => c.watchLeaves((leaves) => store().setLeaves(leaves), problem));
  keepWatching(client, "cim_deployments", (c) => c.watchDeployments((deployments) => store().setDeployments(deployments), problem));
}

/** A bucket exists only once an executor has started: until then, say so and try again. */
function keepWatching(c: DeployClient, bucket: string, start: (c: DeployClient) => Promise<Stop>): void {
  start(c).then(
    (stop) => (client === c ? watches.push(stop) : stop()),
    (e: unknown) => {
      if (client !== c) return;
      problem(`cannot watch ${bucket} on the hub: ${messageOf(e)}; retrying`);
      setTimeout(() => client === c && keepWatching(c, bucket, start), RETRY_MS);
    },
  );
}

function flush(deploymentId: string): void {
  const f = follows.get(deploymentId);
  if (!f) return;
  f.timer = undefined;
  const events = f.pending;
  f.pending = [];
  const logs = logsOf(deploymentId);
  const batch = foldBatch(own(store().views, deploymentId) ?? emptyView(deploymentId), events);
  // The fold drops duplicates by seq and other leaves' events; the log takes exactly the lines the fold accepted.
  for (const e of batch.applied) if (e.type === "step-log") logs.append(e);
  for (const why of batch.dropped) problem(`${why}; dropped`);
  store().setView(batch.view);
}

/**
 * The leaf a deployment runs on, by its summary, before any of its events is in. Each leaf
 * writes summaries under its own key only, so two leaves can both claim an id: then neither
 * is believed, and the first to speak in the stream (the one that ran it; a forger can only
 * copy an id it has seen) pins it.
 */
function leafOf(deploymentId: string): string | undefined {
  const claims = new Set(Object.values(store().deployments).flatMap((d) => (d.deploymentId === deploymentId ? [d.leafId] : [])));
  return claims.size === 1 ? [...claims][0] : undefined;
}


function follow(deploymentId: string): void {
  if (!client || follows.has(deploymentId)) return;
  const f: Following = { stop: () => undefined, pending: [] };
  follows.set(deploymentId, f);
  const view = own(store().views, deploymentId) ?? emptyView(deploymentId, leafOf(deploymentId));
  store().setView(view);
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
  store().dropView(deploymentId);
  dropLogs(deploymentId);
}

/** Reads a deployment's files from cim_flakes once (they never change) into `deployedFiles`. */
export function loadFiles({ leafId, deploymentId }: { leafId: string; deploymentId: string }): void {
  const c = client;
  if (!c || loading.has(deploymentId) || Object.hasOwn(store().deployedFiles, deploymentId)) return;
  loading.add(deploymentId);
  c.files(leafId, deploymentId).then(
    (files) => store().setDeployedFiles(deploymentId, files),
    (e: unknown) => {
      loading.delete(deploymentId);
      problem(`cannot read the files of ${deploymentId} from cim_flakes: ${messageOf(e)}`);
    },
  );
}

/** What must be followed: the open deployment and the latest one of each instance (canvas colours). */
function wanted(s: AppState): string[] {
  const ids = new Set<string>();
  if (s.openDeploymentId) ids.add(s.openDeploymentId);
  for (const i of instancesOf(s)) {
    const latest = historyOf(s.deployments, i.hostId)[0];
    if (latest) ids.add(latest.deploymentId);
  }
  return [...ids].sort();
}

/** The baselines of the review and the undeployed-change marks: each instance's last success. */
function baselines(s: AppState): DeploymentSummary[] {
  return instancesOf(s).flatMap((i) => lastSucceeded(s.deployments, i.hostId) ?? []);
}

/** Keeps the followed deployments and the loaded baselines in step with the store. */
export function useDeployFollowing(): void {
  const linked = useAppStore((s) => s.deployLinked);
  const ids = useAppStore(useShallow(wanted));
  const base = useAppStore(useShallow(baselines));
  useEffect(() => {
    if (!linked) return;
    for (const id of ids) follow(id);
    for (const id of [...follows.keys()]) if (!ids.includes(id)) unfollow(id);
  }, [linked, ids]);
  useEffect(() => {
    if (linked) for (const d of base) loadFiles(d);
  }, [linked, base]);
}

/**
 * The client, for a command to `leafId`. A leaf that has never registered has no executor
 * reading its commands: a command for it would only wait in the stream until it expires.
 */
function connectedFor(leafId: string): DeployClient {
  if (!(leafId in store().leaves)) {
    throw new AlchemistFailure(err("E_LEAF_UNREGISTERED", `leaf ${leafId} has never registered with the hub, so no executor takes its commands: start its executor first (alchemist executor --leaf-id ${leafId})`));
  }
  if (!client) throw new Error("not connected to the hub");
  return client;
}

export interface DeployRequest {
  leafId: string;
  instance: string;
  action: DeployAction;
  files: Readonly<Record<string, string>>;
  confirm: ConfirmSpec;
}

/** Opens a deployment just sent, pinned to the leaf it was sent to: only that leaf's events are its. */
function openSent(deploymentId: string, leafId: string): void {
  store().setView(emptyView(deploymentId, leafId));
  store().openDeployment(deploymentId);
}

/** Sends a deploy command and opens its deployment; resolves to the deployment id. */
export async function deploy(r: DeployRequest): Promise<string> {
  const c = connectedFor(r.leafId);
  const deploymentId = c.newId("d");
  await c.send({
    v: 1,
    type: "deploy",
    commandId: c.newId("c"),
    deploymentId,
    leafId: r.leafId,
    instance: r.instance,
    action: r.action,
    files: { ...r.files },
    // The compiler's design hash: that of alchemist.json, the design these files come from.
    designHash: sha256Hex(r.files["alchemist.json"] ?? ""),
    confirm: r.confirm,
    requestedAt: new Date().toISOString(),
  });
  openSent(deploymentId, r.leafId);
  return deploymentId;
}

/** Deploys again the files of an earlier successful deployment, as a new deployment, and opens it. */
export async function rollback(to: { leafId: string; instance: string; deploymentId: string }): Promise<string> {
  const c = connectedFor(to.leafId);
  const deploymentId = c.newId("d");
  await c.send({
    v: 1,
    type: "rollback",
    commandId: c.newId("c"),
    deploymentId,
    leafId: to.leafId,
    instance: to.instance,
    toDeploymentId: to.deploymentId,
    action: "switch",
    confirm: DEFAULT_CONFIRM,
    requestedAt: new Date().toISOString(),
  });
  openSent(deploymentId, to.leafId);
  return deploymentId;
}

export async function control(type: "cancel" | "confirm", target: { leafId: string; deploymentId: string }): Promise<void> {
  const c = connectedFor(target.leafId);
  await c.send({ v: 1, type, commandId: c.newId("c"), deploymentId: target.deploymentId, leafId: target.leafId, requestedAt: new Date().toISOString() });
}
