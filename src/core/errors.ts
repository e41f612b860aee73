/**
 * Every error Alchemist reports to a person is a value with a stable code and a message that
 * says what is wrong, where, and what to do. Codes are defined here and nowhere else, so the
 * CLI, the executor and the browser speak the same language and tests can assert on codes.
 */

export const ERROR_CODES = {
  // CLI and local stack
  E_USAGE: "the command line is not understood, or a file it names cannot be read",
  E_BAD_PORT: "a port is not an integer between 1 and 65535",
  E_PORT_IN_USE: "a port is already in use",
  E_PORT_CLASH: "two services were given the same port",
  E_NATS_MISSING: "nats-server is not installed",
  E_NATS_FAILED: "nats-server did not start",
  E_STATE_DIR: "the state folder cannot be used",
  E_AUTH_STATE: "the stored NATS authority (operator and account keys) cannot be read",
  E_AUTH_MISSING: "the state folder holds no NATS authority to make credentials from",
  E_WEB_MISSING: "the web app has not been built",
  E_CHILD_FAILED: "a child process failed",
  E_STACK_FAILED: "alchemist up itself failed, and stopped the stack",
  // Deploy protocol: why a command is rejected, why a deployment failed
  E_CMD_NOT_JSON: "a deploy command is not a JSON object",
  E_CMD_VERSION: "a deploy command has a protocol version this executor does not speak",
  E_CMD_TYPE: "a deploy command has an unknown type",
  E_CMD_FIELD: "a deploy command has a missing or malformed field",
  E_CMD_PATH: "a deploy command names a file outside its deployment folder",
  E_CMD_TOO_LARGE: "a deploy command is over the size limit",
  E_CMD_INSTANCE: "a deploy command names an instance this leaf does not serve",
  E_CMD_LEAF: "a deploy command is addressed to another leaf",
  E_CMD_UNKNOWN_DEPLOYMENT: "a command refers to a deployment this leaf does not know",
  E_CMD_UNSIGNED: "a deploy command carries no signature; leaves run only signed commands",
  E_CMD_BAD_SIGNATURE: "a deploy command's signature is malformed or does not match its bytes",
  E_CMD_UNTRUSTED_KEY: "a deploy command is signed by a key this leaf does not trust",
  E_CMD_REPLAYED: "a deploy command was sent again as a new message (a replay)",
  E_CMD_EXPIRED: "a deploy command was requested too long ago, or further ahead than the leaf's clock allows",
  E_SIGNING_KEY: "a key to sign commands with is not a NATS user seed",
  E_STEP_FAILED: "a deployment step failed",
  E_STEP_TIMEOUT: "a deployment step ran out of time",
  E_EXECUTOR_RESTARTED: "the executor restarted during the deployment",
  E_NOT_DEPLOYED: "the deployment could not build or activate anything on this host",
  E_NOT_CONFIRMED: "the activation was not confirmed and was rolled back",
  E_ROLLBACK_FAILED: "rolling back to the previous generation failed",
  E_DISK_FULL: "the leaf's disk (or quota) is full: a deployment's files could not be written",
  E_STORE_FULL: "a JetStream stream or bucket on the hub refused a write because one of its limits is reached",
  E_NATS: "the NATS server could not be reached or refused a request",
  E_STORE_MISSING: "a stream or bucket of the deploy protocol is not on the hub, and this identity may not create it",
  E_LEASE_HELD: "another executor holds this leaf id (its entry in cim_leaves is its lease); this one waits and takes over when that one is gone",
  E_LEASE_LOST: "another executor took this leaf id over while this one could not reach the hub; this one stops taking commands",
  E_LEAF_UNREGISTERED: "a command is addressed to a leaf that has never registered with the hub",
  E_UNKNOWN_INSTANCE: "the design defines no CIM instance with that id",
  E_NO_LEAF: "no single online leaf serves the instance, and none was named",
  E_UNKNOWN_DEPLOYMENT: "the hub's registry has no such deployment (of that instance)",
  E_ROLLBACK_TARGET: "a rollback names a deployment that did not succeed, so there is nothing known good to go back to",
  // Designs on the hub (cim_designs)
  E_DESIGN_SAVE_DAMAGED: "a revision of a design on the hub is not a design save this Alchemist can read",
  E_DESIGN_KEY: "a design id cannot be a key on the hub (one subject token: letters, digits, _ and -)",
  E_DESIGN_TOO_LARGE: "a design is larger than the hub's designs bucket takes in one revision",
  // Nix output
  E_NIX_UNPRINTABLE: "a value cannot be written as Nix (a compiler bug: validation should have refused it)",

  // Design files, validation and compilation (severity is on the diagnostic; W_ codes are warnings)
  E_DESIGN_JSON: "the design file is not JSON",
  E_DESIGN_VERSION: "the design file has a version this Alchemist cannot read",
  E_DESIGN_SHAPE: "a value in the design file is missing or of the wrong type",
  E_UNKNOWN_KIND: "a node has a kind the catalog does not know",
  E_FIELD: "a node setting is not valid for its kind",
  E_CONTROL_CHAR: "a text holds a control character, which the generated Nix cannot carry",
  E_DUPLICATE_ID: "two nodes or two edges share an id",
  E_DANGLING_EDGE: "an edge points to a node that does not exist",
  E_CYCLE: "the design graph has a cycle",
  E_EDGE_KIND: "an edge joins two nodes of which the target cannot build on the source",
  E_NO_INSTANCE: "the design has no CIM instance, so its flake would define no host",
  E_DUPLICATE_INSTANCE: "two CIM instances share an id",
  E_INSTANCE_EDGE: "a CIM instance builds on another CIM instance",
  E_NO_NATS: "a CIM domain or agent has no NATS server in its instance",
  E_NIX_IMPORT_PARSE: "an imported Nix file does not parse",
  E_OPTION_CONFLICT: "two nodes of one instance set the same NixOS option",
  E_NO_ROOT_FS: "a CIM instance has no root file system, so NixOS refuses to build it",
  E_NO_BOOT_LOADER: "a CIM instance has no boot loader, so NixOS refuses to build it",
  E_OUT_DIR: "the output folder cannot be written",
  W_UNREACHABLE: "a node reaches no CIM instance and is not exported",
  W_NATS_AUTH: "a NATS server has users, but services of its instance connect without credentials",
  W_SECRET_MISSING: "a path looks like a secret that no secrets entry provides",
  W_FIELD: "a node setting compiles but would fail on a real machine until something is supplied or replaced",
  W_EXECUTOR_CREDS: "an instance deployed by a leaf executor names no credentials file, so its executor cannot log in to the hub",
  W_EXECUTOR_KEYS: "an instance deployed by a leaf executor trusts no key, so its executor would run no command",
  W_NATS_VERIFY: "a NATS server requires client certificates that the instance's own services do not have",
  W_NO_SSH_HOST_KEY: "secrets are decrypted with the host's SSH key, and nothing in the instance starts sshd, which makes it",
  E_LOCK_FAILED: "the leaf could not lock the flake's inputs (nix flake lock failed, or no nix to update them with)",
  E_LOCK_INVALID: "a flake.lock is not a Nix lock file",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AlchemistError {
  readonly code: ErrorCode;
  readonly message: string;
}

export function err(code: ErrorCode, message: string): AlchemistError {
  return { code, message };
}

/** A thrown wrapper, for code paths (process startup) where unwinding is simpler than returning. */
export class AlchemistFailure extends Error {
  constructor(readonly error: AlchemistError) {
    super(error.message);
    this.name = "AlchemistFailure";
  }
}

export function isAlchemistFailure(e: unknown): e is AlchemistFailure {
  return e instanceof AlchemistFailure;
}

/** What a thrown value says, whatever was thrown. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Why a system call failed, as short as the system says it: its code (ENOENT, EACCES) when it has one, else the message. */
export function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : messageOf(e);
}

/** One line, as the CLI prints it: `error E_CODE: message`. */
export function formatError(e: AlchemistError): string {
  return `error ${e.code}: ${e.message}`;
}

export type Result<T, E = AlchemistError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
