import { accessSync, constants } from "node:fs";
import { STEPS, type StepName } from "../core/protocol";
import { DEFAULT_COMMAND_LIMITS, INSTANCE_PATTERN, type CommandLimits } from "../core/protocol";
import { isSubjectToken } from "../core/protocol";
import { AlchemistFailure, err } from "../core/errors";

export interface NatsAuth {
  user?: string;
  password?: string;
  token?: string;
  credsFile?: string;
  /** CA file for tls:// servers signed by a private CA. */
  tlsCaFile?: string;
}

export interface ExecutorConfig {
  servers: string[];
  leafId: string;
  auth: NatsAuth;
  jsDomain: string | undefined;
  workDir: string;
  /** Instances this leaf may deploy, or "*" for any. */
  instances: string[] | "*";
  tools: { nixosRebuild: string; nixInstantiate: string; systemctl: string };
  stepTimeoutsMs: Record<StepName, number>;
  limits: CommandLimits;
  /** How long a deploy command may stay unacknowledged before JetStream would redeliver it. */
  ackWaitMs: number;
  /** Deployment folders kept in the work folder; older ones are removed. */
  keepDeployments: number;
}

export const DEFAULT_KEEP_DEPLOYMENTS = 20;

export const DEFAULT_STEP_TIMEOUTS_S: Record<StepName, number> = {
  prepare: 60,
  check: 300,
  evaluate: 900,
  build: 3600,
  activate: 900,
  health: 120,
  // The confirm step's own limit comes from the command (confirm.timeoutSeconds); this bounds the auto round trip.
  confirm: 30,
};

export const ENV = {
  servers: "NATS_URL",
  leafId: "ALCHEMIST_LEAF_ID",
  user: "NATS_USER",
  password: "NATS_PASSWORD",
  token: "NATS_TOKEN",
  credsFile: "NATS_CREDS",
  tlsCaFile: "NATS_CA",
  jsDomain: "ALCHEMIST_JS_DOMAIN",
  workDir: "ALCHEMIST_WORK_DIR",
  instances: "ALCHEMIST_INSTANCES",
  nixosRebuild: "ALCHEMIST_NIXOS_REBUILD",
  nixInstantiate: "ALCHEMIST_NIX_INSTANTIATE",
  systemctl: "ALCHEMIST_SYSTEMCTL",
  stepTimeouts: "ALCHEMIST_STEP_TIMEOUTS",
  maxCommandBytes: "ALCHEMIST_MAX_COMMAND_BYTES",
  keepDeployments: "ALCHEMIST_KEEP_DEPLOYMENTS",
} as const;

export type ConfigKey = keyof typeof ENV;

const usage = (message: string) => new AlchemistFailure(err("E_USAGE", message));

function parseTimeouts(text: string | undefined, source: string): Record<StepName, number> {
  const out = Object.fromEntries(STEPS.map((s) => [s, DEFAULT_STEP_TIMEOUTS_S[s] * 1000])) as Record<StepName, number>;
  if (!text) return out;
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)$/.exec(part);
    if (!m || !(STEPS as readonly string[]).includes(m[1]!) || Number(m[2]) < 1) {
      throw usage(`${source}: "${part}" must be step=seconds with a step of ${STEPS.join(", ")}`);
    }
    out[m[1] as StepName] = Number(m[2]) * 1000;
  }
  return out;
}

/** Builds the configuration from flags (which win) and the environment, naming any bad value. */
export function resolveConfig(flags: Partial<Record<ConfigKey, string>>, env: NodeJS.ProcessEnv): ExecutorConfig {
  const get = (k: ConfigKey): [string | undefined, string] =>
    flags[k] !== undefined ? [flags[k], `--${kebab(k)}`] : [env[ENV[k]], ENV[k]];

  const [leafId, leafSource] = get("leafId");
  if (!isSubjectToken(leafId)) throw usage(`${leafSource} must be 1–128 letters, digits, "-" or "_" (it is a NATS subject token), got "${leafId ?? ""}"`);

  const [serversText, serversSource] = get("servers");
  const servers = (serversText ?? "nats://127.0.0.1:4222").split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of servers) {
    if (!/^(nats|tls|ws|wss):\/\/[^\s/]+/.test(s) && !/^[^\s/:]+:\d+$/.test(s)) {
      throw usage(`${serversSource}: "${s}" is not a NATS URL (nats://host:port or tls://host:port)`);
    }
  }

  const [instancesText, instancesSource] = get("instances");
  let instances: string[] | "*" = "*";
  if (instancesText && instancesText.trim() !== "*") {
    instances = instancesText.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = instances.find((i) => !INSTANCE_PATTERN.test(i));
    if (bad !== undefined) throw usage(`${instancesSource}: "${bad}" is not an instance id ([a-z][a-z0-9-]*)`);
  }

  const [maxBytesText, maxBytesSource] = get("maxCommandBytes");
  const maxBytes = maxBytesText === undefined ? DEFAULT_COMMAND_LIMITS.maxBytes : Number(maxBytesText);
  if (!Number.isInteger(maxBytes) || maxBytes < 1024) throw usage(`${maxBytesSource} must be a whole number of bytes ≥ 1024, got "${maxBytesText}"`);

  const [keepText, keepSource] = get("keepDeployments");
  const keepDeployments = keepText === undefined ? DEFAULT_KEEP_DEPLOYMENTS : Number(keepText);
  if (!Number.isInteger(keepDeployments) || keepDeployments < 1) throw usage(`${keepSource} must be a whole number ≥ 1, got "${keepText}"`);

  const [timeoutsText, timeoutsSource] = get("stepTimeouts");
  const auth: NatsAuth = {};
  for (const k of ["user", "password", "token", "credsFile", "tlsCaFile"] as const) {
    const [v] = get(k);
    if (v) auth[k] = v;
  }
  if (auth.user && !auth.password) throw usage(`a NATS user needs a password (--password or ${ENV.password})`);
  for (const k of ["credsFile", "tlsCaFile"] as const) {
    const path = auth[k];
    if (path === undefined) continue;
    try {
      accessSync(path, constants.R_OK);
    } catch (e) {
      throw usage(`${get(k)[1]}: cannot read ${path} (${(e as NodeJS.ErrnoException).code})`);
    }
  }

  return {
    servers,
    leafId,
    auth,
    jsDomain: get("jsDomain")[0] ?? "hub",
    workDir: get("workDir")[0] ?? `.alchemist/executor-${leafId}`,
    instances,
    tools: {
      nixosRebuild: get("nixosRebuild")[0] ?? "nixos-rebuild",
      nixInstantiate: get("nixInstantiate")[0] ?? "nix-instantiate",
      systemctl: get("systemctl")[0] ?? "systemctl",
    },
    stepTimeoutsMs: parseTimeouts(timeoutsText, timeoutsSource),
    limits: { ...DEFAULT_COMMAND_LIMITS, maxBytes },
    ackWaitMs: 30_000,
    keepDeployments,
  };
}

export function kebab(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
