import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { STEPS, type StepName } from "../core/protocol";
import { DEFAULT_COMMAND_LIMITS, INSTANCE_PATTERN, type CommandLimits } from "../core/protocol";
import { isSubjectToken } from "../core/protocol";
import { DEFAULT_COMMAND_MAX_AGE_SECONDS, parseTrustedKeys, trustList, type TrustList } from "../core/protocol";
import { AlchemistFailure, err } from "../core/errors";
import { nativeVerifier } from "./verifier";
import { DEFAULT_REPLICAS, MAX_REPLICAS } from "./jetstreamSetup";

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
  /**
   * Instances this leaf may deploy, or "*" for any. By default only its own host (an instance's
   * id is its host name), so a click cannot switch this machine to another host's configuration.
   */
  instances: string[] | "*";
  tools: { nixosRebuild: string; nixInstantiate: string; systemctl: string; nix: string; nixEnv: string };
  /** The machine's state an activation changes and a rollback restores (the real NixOS paths by default). */
  machine: { currentSystem: string; systemProfile: string; bootId: string };
  stepTimeoutsMs: Record<StepName, number>;
  limits: CommandLimits;
  /** The keys whose signed commands this leaf runs; never empty. */
  trustedKeys: TrustList;
  /** Commands requested longer ago than this are refused (E_CMD_EXPIRED). */
  commandMaxAgeSeconds: number;
  /** How long a deploy command may stay unacknowledged before JetStream would redeliver it. */
  ackWaitMs: number;
  /** Deployment folders kept in the work folder; older ones are removed. */
  keepDeployments: number;
  /** Copies of a store this executor creates because the hub has none (3 on a cluster). */
  replicas: number;
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
  nix: "ALCHEMIST_NIX",
  nixEnv: "ALCHEMIST_NIX_ENV",
  currentSystem: "ALCHEMIST_CURRENT_SYSTEM",
  systemProfile: "ALCHEMIST_SYSTEM_PROFILE",
  bootId: "ALCHEMIST_BOOT_ID",
  stepTimeouts: "ALCHEMIST_STEP_TIMEOUTS",
  maxCommandBytes: "ALCHEMIST_MAX_COMMAND_BYTES",
  trustedKeys: "ALCHEMIST_TRUSTED_KEYS",
  commandMaxAge: "ALCHEMIST_COMMAND_MAX_AGE",
  keepDeployments: "ALCHEMIST_KEEP_DEPLOYMENTS",
  replicas: "ALCHEMIST_JS_REPLICAS",
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

/**
 * The trusted keys from a file (one entry a line) or from a comma-separated list. A value that
 * starts with a user public key (and is not the name of a file) is a list; anything else is
 * the path of a file, so a mistyped path is reported as one.
 */
function readTrustedKeys(value: string | undefined, source: string): TrustList {
  const hint = `give --trusted-keys (or ${ENV.trustedKeys}) a file of "<PUBLIC_KEY> [name]" lines, or a comma-separated list of them: the user public keys (U…) whose signed commands this leaf runs`;
  // Secure by default: leaves run only signed commands, and an executor that trusts no key would run none.
  if (!value?.trim()) throw usage(`no trusted keys, so this executor would run no command; ${hint}`);
  const isFile = existsSync(value) || !/^\s*U[A-Z2-7]{55}(?![A-Z2-7])/.test(value);
  let entries: string[];
  if (isFile) {
    try {
      entries = readFileSync(value, "utf8").split("\n");
    } catch (e) {
      throw usage(`${source}: cannot read the trusted keys file ${value} (${(e as NodeJS.ErrnoException).code})`);
    }
  } else {
    entries = value.split(",");
  }
  const parsed = parseTrustedKeys(entries, (i) => (isFile ? `${source} ${value} line ${i + 1}` : `${source} entry ${i + 1}`));
  if (!parsed.ok) throw new AlchemistFailure(parsed.error);
  if (parsed.value.length === 0) throw usage(`${source}: ${isFile ? `${value} lists` : "the list holds"} no keys, so this executor would run no command; ${hint}`);
  return trustList(parsed.value, nativeVerifier);
}

/** The instances a leaf serves when not told: its own host, if its name can be an instance id. */
export function ownInstances(hostName: string): string[] {
  const name = hostName.toLowerCase();
  return INSTANCE_PATTERN.test(name) ? [name] : [];
}

/** Builds the configuration from flags (which win) and the environment, naming any bad value. */
export function resolveConfig(flags: Partial<Record<ConfigKey, string>>, env: NodeJS.ProcessEnv, hostName: string = hostname()): ExecutorConfig {
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
  let instances: string[] | "*" = ownInstances(hostName);
  if (instancesText?.trim() === "*") instances = "*";
  else if (instancesText?.trim()) {
    instances = instancesText.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = instances.find((i) => !INSTANCE_PATTERN.test(i));
    if (bad !== undefined) throw usage(`${instancesSource}: "${bad}" is not an instance id ([a-z][a-z0-9-]*)`);
  }

  const [maxBytesText, maxBytesSource] = get("maxCommandBytes");
  const maxBytes = maxBytesText === undefined ? DEFAULT_COMMAND_LIMITS.maxBytes : Number(maxBytesText);
  if (!Number.isInteger(maxBytes) || maxBytes < 1024) throw usage(`${maxBytesSource} must be a whole number of bytes ≥ 1024, got "${maxBytesText}"`);

  const [maxAgeText, maxAgeSource] = get("commandMaxAge");
  const commandMaxAgeSeconds = maxAgeText === undefined ? DEFAULT_COMMAND_MAX_AGE_SECONDS : Number(maxAgeText);
  if (!Number.isInteger(commandMaxAgeSeconds) || commandMaxAgeSeconds < 1) throw usage(`${maxAgeSource} must be a whole number of seconds ≥ 1, got "${maxAgeText}"`);
  const [keepText, keepSource] = get("keepDeployments");
  const keepDeployments = keepText === undefined ? DEFAULT_KEEP_DEPLOYMENTS : Number(keepText);
  if (!Number.isInteger(keepDeployments) || keepDeployments < 1) throw usage(`${keepSource} must be a whole number ≥ 1, got "${keepText}"`);

  const [replicasText, replicasSource] = get("replicas");
  const replicas = replicasText === undefined ? DEFAULT_REPLICAS : Number(replicasText);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) throw usage(`${replicasSource} must be a whole number from 1 to ${MAX_REPLICAS} (copies of each store; 3 on a cluster), got "${replicasText}"`);

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

  const trustedKeys = readTrustedKeys(...get("trustedKeys"));

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
      nix: get("nix")[0] ?? "nix",
      nixEnv: get("nixEnv")[0] ?? "nix-env",
    },
    machine: {
      currentSystem: get("currentSystem")[0] ?? "/run/current-system",
      systemProfile: get("systemProfile")[0] ?? "/nix/var/nix/profiles/system",
      bootId: get("bootId")[0] ?? "/proc/sys/kernel/random/boot_id",
    },
    stepTimeoutsMs: parseTimeouts(timeoutsText, timeoutsSource),
    limits: { ...DEFAULT_COMMAND_LIMITS, maxBytes },
    trustedKeys,
    commandMaxAgeSeconds,
    ackWaitMs: 30_000,
    keepDeployments,
    replicas,
  };
}

export function kebab(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
