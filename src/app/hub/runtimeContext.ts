import { createContext, useContext, useEffect, useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import { baselines, followedDeployments } from "../derive/following";
import type { DeployRuntime } from "./runtime";
import { LogBuffer } from "../derive/logs";

/**
 * The deploy runtime of the page's hub connection, for the components: null while there is
 * none (before the first connection, after the last one closed). App provides it, from
 * useHubConnection; nothing reaches it through a module.
 */
export const DeployRuntimeContext = createContext<DeployRuntime | null>(null);

export const useDeployRuntime = (): DeployRuntime | null => useContext(DeployRuntimeContext);

/** The runtime, for a command: without a connection there is none to send it on. */
export function connected(runtime: DeployRuntime | null): DeployRuntime {
  if (!runtime) throw new Error("not connected to the hub");
  return runtime;
}

/** A deployment's log lines as the runtime has them (none without a connection). */
export function useLogs(deploymentId: string): LogBuffer {
  const runtime = useDeployRuntime();
  const none = useMemo(() => new LogBuffer(), []);
  return runtime ? runtime.logsOf(deploymentId) : none;
}

/** Keeps the runtime's followed deployments and loaded baselines in step with the store. */
export function useDeployFollowing(runtime: DeployRuntime | null): void {
  const ids = useAppStore(useShallow(followedDeployments));
  const base = useAppStore(useShallow(baselines));
  useEffect(() => {
    runtime?.followOnly(ids);
  }, [runtime, ids]);
  useEffect(() => {
    if (runtime) for (const d of base) runtime.loadFiles(d);
  }, [runtime, base]);
}
