import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../src/core/compile";
import { parseDesign } from "../../src/core/design/load";
import { designHash } from "../../src/core/design/canonical";
import type { Design } from "../../src/core/design/types";
import { REPO } from "./stack";

let counter = 0;
export const uid = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function template(name: string): Design {
  const { design, diagnostics } = parseDesign(readFileSync(join(REPO, "templates", `${name}.json`), "utf8"));
  if (!design) throw new Error(`template ${name}: ${JSON.stringify(diagnostics)}`);
  return design;
}

/** The minimal template's flake, with its instance and one port changeable, as a deploy would send it. */
export function flakeOf(design: Design): { files: Record<string, string>; designHash: string } {
  const { files, diagnostics } = compile(design);
  if (Object.keys(files).length === 0) throw new Error(`does not compile: ${JSON.stringify(diagnostics)}`);
  return { files: { ...files }, designHash: designHash(design) };
}

export const MINIMAL_INSTANCE = "cim-minimal";

export function deployCommand(leafId: string, over: Record<string, unknown> = {}, design: Design = template("minimal")): Record<string, unknown> & { deploymentId: string; commandId: string } {
  const { files, designHash: hash } = flakeOf(design);
  return {
    v: 1,
    type: "deploy",
    commandId: uid("cmd"),
    deploymentId: uid("dep"),
    leafId,
    instance: MINIMAL_INSTANCE,
    action: "switch",
    files,
    designHash: hash,
    confirm: { mode: "auto", timeoutSeconds: 30 },
    requestedAt: new Date().toISOString(),
    ...over,
  } as Record<string, unknown> & { deploymentId: string; commandId: string };
}

export function control(leafId: string, deploymentId: string, type: "cancel" | "confirm"): Record<string, unknown> & { commandId: string } {
  return { v: 1, type, commandId: uid("cmd"), deploymentId, leafId, requestedAt: new Date().toISOString() };
}

/** A rollback to an earlier deployment, as a new deployment `rb-<to>` unless `over` says otherwise. */
export function rollbackCommand(leafId: string, toDeploymentId: string, over: Record<string, unknown> = {}): Record<string, unknown> & { deploymentId: string; commandId: string } {
  const deploymentId = `rb-${toDeploymentId}`;
  return { v: 1, type: "rollback", commandId: `c-${deploymentId}`, deploymentId, leafId, instance: MINIMAL_INSTANCE, toDeploymentId, requestedAt: new Date().toISOString(), ...over } as Record<string, unknown> & { deploymentId: string; commandId: string };
}
