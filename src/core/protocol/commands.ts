import { err, fail, ok, type AlchemistError, type Result, messageOf } from "../errors";
import { PROTOCOL_VERSION, UNNAMED_DEPLOYMENT, isSubjectToken } from "./names";
import { isRecord } from "../objects";
import { HOST_ID } from "../catalog/patterns";
import { hostModuleFile } from "../compile/paths";

export const DEPLOY_ACTIONS = ["dry-activate", "build", "test", "switch", "boot"] as const;
export type DeployAction = (typeof DEPLOY_ACTIONS)[number];

export const CONFIRM_MODES = ["auto", "manual"] as const;
export type ConfirmMode = (typeof CONFIRM_MODES)[number];

export interface ConfirmSpec {
  mode: ConfirmMode;
  timeoutSeconds: number;
}

interface CommandBase {
  v: 1;
  commandId: string;
  deploymentId: string;
  leafId: string;
  /** When the sender made it (ISO 8601): a leaf refuses commands older than its window, so an old signed command cannot be replayed for ever. */
  requestedAt: string;
}

/** The revision of a design on the hub (cim_designs) a deployment was made from. */
export interface DesignRef {
  id: string;
  revision: number;
}

export interface DeployCommand extends CommandBase {
  type: "deploy";
  instance: string;
  action: DeployAction;
  /** Relative path → file text: the flake exactly as the compiler wrote it. */
  files: Record<string, string>;
  designHash: string;
  confirm: ConfirmSpec;
  /** Lock every input afresh instead of keeping the pins of the flake.lock sent. */
  updateInputs?: boolean;
  /** The design revision the files were compiled from, when the design is on the hub; the summary keeps it for the history. */
  design?: DesignRef;
}

/** Deploy again the files of an earlier successful deployment, as a new deployment. */
export interface RollbackCommand extends CommandBase {
  type: "rollback";
  instance: string;
  toDeploymentId: string;
  action: DeployAction;
  confirm: ConfirmSpec;
}

export interface CancelCommand extends CommandBase {
  type: "cancel";
}

export interface ConfirmCommand extends CommandBase {
  type: "confirm";
}

export type Command = DeployCommand | RollbackCommand | CancelCommand | ConfirmCommand;

export interface CommandLimits {
  /** Bytes of the whole message. */
  maxBytes: number;
  maxFiles: number;
}

export const DEFAULT_COMMAND_LIMITS: CommandLimits = { maxBytes: 8 * 1024 * 1024, maxFiles: 2000 };
export const DEFAULT_CONFIRM: ConfirmSpec = { mode: "auto", timeoutSeconds: 60 };
export const MAX_CONFIRM_SECONDS = 3600;

/** What a rejected command is answered with: which deployment (if any could be named) and why. */
export interface Rejection {
  commandId?: string;
  deploymentId: string;
  error: AlchemistError;
}

/** The catalog's host id: an instance is named by its host. */
export const INSTANCE_PATTERN = new RegExp(`^(?:${HOST_ID.source})$`);
const PATH_SEGMENT = /^[A-Za-z0-9._+@-]+$/;

/**
 * Why a file path of a command may not be written, or null. Only plain relative paths inside
 * the deployment folder: no `..`, no absolute paths, no backslashes, no empty or dot segments.
 */
export function filePathProblem(path: string): string | null {
  if (path.length === 0) return "is empty";
  if (path.length > 512) return "is longer than 512 characters";
  if (path.startsWith("/")) return "is absolute";
  if (path.includes("\\")) return "contains a backslash";
  for (const segment of path.split("/")) {
    if (segment === "..") return "escapes the deployment folder (..)";
    if (segment === "" || segment === ".") return "has an empty or '.' segment";
    if (!PATH_SEGMENT.test(segment)) return `has a segment "${segment}" with characters other than letters, digits and . _ + @ -`;
  }
  return null;
}

type Obj = Record<string, unknown>;

/** A value as it appears in a message, shortened: for saying what was found instead. */
const shown = (v: unknown, max = 80): string => (v === undefined ? "nothing" : (JSON.stringify(v) ?? String(v)).slice(0, max));

class Reject {
  constructor(readonly error: AlchemistError) {}
}
const reject = (code: AlchemistError["code"], message: string): never => {
  throw new Reject(err(code, message));
};

function token(o: Obj, field: string): string {
  const v = o[field];
  if (v === undefined) reject("E_CMD_FIELD", `${field} is missing`);
  if (!isSubjectToken(v)) reject("E_CMD_FIELD", `${field} must be 1–128 letters, digits, "-" or "_", got ${shown(v, 80)}`);
  return v as string;
}

function requestedAtOf(o: Obj): string {
  const v = o.requestedAt;
  if (v === undefined) reject("E_CMD_FIELD", "requestedAt is missing");
  if (typeof v !== "string" || Number.isNaN(Date.parse(v))) reject("E_CMD_FIELD", `requestedAt must be an ISO 8601 time, got ${shown(v, 60)}`);
  return v as string;
}

function instanceOf(o: Obj): string {
  const v = o.instance;
  if (v === undefined) reject("E_CMD_FIELD", "instance is missing");
  if (typeof v !== "string" || !INSTANCE_PATTERN.test(v)) reject("E_CMD_FIELD", `instance must match [a-z][a-z0-9-]* (at most 63 characters), got ${shown(v, 80)}`);
  return v as string;
}

function actionOf(o: Obj, fallback?: DeployAction): DeployAction {
  const v = o.action ?? fallback;
  if (v === undefined) reject("E_CMD_FIELD", "action is missing");
  if (!DEPLOY_ACTIONS.includes(v as DeployAction)) reject("E_CMD_FIELD", `action must be one of ${DEPLOY_ACTIONS.join(", ")}, got ${shown(v, 40)}`);
  return v as DeployAction;
}

function confirmOf(o: Obj): ConfirmSpec {
  const v = o.confirm;
  if (v === undefined) return DEFAULT_CONFIRM;
  if (!isRecord(v)) return reject("E_CMD_FIELD", "confirm must be an object {mode, timeoutSeconds}");
  const mode = v.mode ?? DEFAULT_CONFIRM.mode;
  if (!CONFIRM_MODES.includes(mode as ConfirmMode)) reject("E_CMD_FIELD", `confirm.mode must be auto or manual, got ${shown(mode, 40)}`);
  const t = v.timeoutSeconds ?? DEFAULT_CONFIRM.timeoutSeconds;
  if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > MAX_CONFIRM_SECONDS) {
    reject("E_CMD_FIELD", `confirm.timeoutSeconds must be an integer from 1 to ${MAX_CONFIRM_SECONDS}, got ${shown(t, 40)}`);
  }
  return { mode: mode as ConfirmMode, timeoutSeconds: t as number };
}

function updateInputsOf(o: Obj): { updateInputs?: boolean } {
  const v = o.updateInputs;
  if (v === undefined) return {};
  if (typeof v !== "boolean") reject("E_CMD_FIELD", `updateInputs must be true or false, got ${shown(v, 40)}`);
  return { updateInputs: v as boolean };
}

function designOf(o: Obj): { design?: DesignRef } {
  const v = o.design;
  if (v === undefined) return {};
  if (!isRecord(v) || !isSubjectToken(v.id) || typeof v.revision !== "number" || !Number.isSafeInteger(v.revision) || v.revision < 1) {
    reject("E_CMD_FIELD", `design must be {id: a design id, revision: a positive integer}, got ${shown(v, 120)}`);
  }
  const d = v as Obj;
  return { design: { id: d.id as string, revision: d.revision as number } };
}

function filesOf(o: Obj, instance: string, limits: CommandLimits): Record<string, string> {
  const v = o.files;
  if (v === undefined) reject("E_CMD_FIELD", "files is missing");
  if (!isRecord(v)) reject("E_CMD_FIELD", "files must be an object of path → text");
  const entries = Object.entries(v as Obj);
  if (entries.length > limits.maxFiles) reject("E_CMD_TOO_LARGE", `files holds ${entries.length} files; the limit is ${limits.maxFiles}`);
  const files: Record<string, string> = {};
  for (const [path, text] of entries) {
    const problem = filePathProblem(path);
    if (problem) reject("E_CMD_PATH", `files: path ${shown(path, 120)} ${problem}`);
    if (typeof text !== "string") reject("E_CMD_FIELD", `files[${JSON.stringify(path)}] must be text`);
    files[path] = text as string;
  }
  if (!("flake.nix" in files)) reject("E_CMD_FIELD", "files has no flake.nix");
  const hostModule = hostModuleFile(instance);
  if (!(hostModule in files)) reject("E_CMD_INSTANCE", `unknown instance ${instance}: the files define no ${hostModule}`);
  return files;
}

function parseObject(o: Obj, limits: CommandLimits): Command {
  if (o.v !== PROTOCOL_VERSION) reject("E_CMD_VERSION", `v must be ${PROTOCOL_VERSION}, got ${shown(o.v, 40)}`);
  const type = o.type;
  if (type !== "deploy" && type !== "rollback" && type !== "cancel" && type !== "confirm") {
    return reject("E_CMD_TYPE", `type must be deploy, rollback, cancel or confirm, got ${shown(type, 40)}`);
  }
  const base = { v: PROTOCOL_VERSION as 1, commandId: token(o, "commandId"), deploymentId: token(o, "deploymentId"), leafId: token(o, "leafId"), requestedAt: requestedAtOf(o) };
  switch (type) {
    case "cancel":
    case "confirm":
      return { ...base, type };
    case "rollback":
      return { ...base, type, instance: instanceOf(o), toDeploymentId: token(o, "toDeploymentId"), action: actionOf(o, "switch"), confirm: confirmOf(o) };
    case "deploy": {
      const instance = instanceOf(o);
      const action = actionOf(o);
      const designHash = o.designHash;
      if (typeof designHash !== "string" || !/^sha256-[0-9a-f]{64}$/.test(designHash)) {
        reject("E_CMD_FIELD", `designHash must be sha256- and 64 hex digits, got ${shown(designHash, 80)}`);
      }
      return {
        ...base,
        type,
        instance,
        action,
        files: filesOf(o, instance, limits),
        designHash: designHash as string,
        confirm: confirmOf(o),
        ...updateInputsOf(o),
        ...designOf(o),
      };
    }
  }
}

/**
 * Reads a command off the wire. Never throws: whatever arrives, the answer is a command or a
 * rejection naming what is wrong and, where it can be told, the deployment to answer on.
 */
export function parseCommand(data: Uint8Array | string, limits: CommandLimits = DEFAULT_COMMAND_LIMITS): Result<Command, Rejection> {
  const size = typeof data === "string" ? new TextEncoder().encode(data).length : data.length;
  if (size > limits.maxBytes) {
    return fail({ deploymentId: UNNAMED_DEPLOYMENT, error: err("E_CMD_TOO_LARGE", `the command is ${size} bytes; the limit is ${limits.maxBytes}`) });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(typeof data === "string" ? data : new TextDecoder("utf-8", { fatal: true }).decode(data));
  } catch (e) {
    return fail({ deploymentId: UNNAMED_DEPLOYMENT, error: err("E_CMD_NOT_JSON", `the command is not JSON (${messageOf(e)})`) });
  }
  if (!isRecord(raw)) return fail({ deploymentId: UNNAMED_DEPLOYMENT, error: err("E_CMD_NOT_JSON", "the command must be a JSON object") });
  const deploymentId = isSubjectToken(raw.deploymentId) ? raw.deploymentId : UNNAMED_DEPLOYMENT;
  const commandId = isSubjectToken(raw.commandId) ? raw.commandId : undefined;
  try {
    return ok(parseObject(raw, limits));
  } catch (e) {
    const error = e instanceof Reject ? e.error : err("E_CMD_FIELD", `the command could not be read: ${messageOf(e)}`);
    return fail({ deploymentId, ...(commandId ? { commandId } : {}), error });
  }
}

