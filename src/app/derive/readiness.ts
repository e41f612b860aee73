import { hostModuleFile } from "../../core/compile/paths";
import { hasErrors } from "../../core/validate/diagnostic";
import { leafChoices } from "../../core/protocol";
import type { AppState } from "../store/state";
import { analysisIsCurrent } from "../store/analysisSlice";
import type { DesignInstance } from "./instances";

type Inputs = Pick<AppState, "hub" | "deployLinked" | "nodes" | "edges" | "notes" | "designName" | "analysis" | "leaves">;

/**
 * Why the instance cannot be deployed now, in words for the person; null when it can. A leaf
 * that is offline does not block: the command waits for it (core/protocol/leafChoice.ts).
 */
export function deployBlocker(s: Inputs, instance: DesignInstance, nowMs: number): string | null {
  if (s.hub.state !== "connected" || !s.deployLinked) return "Not connected to the hub";
  if (!analysisIsCurrent(s)) return "Compiling the design…";
  const errors = s.analysis.diagnostics.filter((d) => d.severity === "error").length;
  if (hasErrors(s.analysis.diagnostics)) return `The design has ${errors} error${errors === 1 ? "" : "s"}: see Problems`;
  if (!s.analysis.files[hostModuleFile(instance.hostId)]) return `The flake defines no host ${instance.hostId}`;
  return leafChoices(s.leaves, instance, nowMs).problem?.message ?? null;
}
