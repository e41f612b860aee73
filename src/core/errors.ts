/**
 * Every error Alchemist reports to a person is a value with a stable code and a message that
 * says what is wrong, where, and what to do. Codes are defined here and nowhere else, so the
 * CLI, the executor and the browser speak the same language and tests can assert on codes.
 */

export const ERROR_CODES = {
  // CLI and local stack
  E_USAGE: "the command line is not understood",
  E_BAD_PORT: "a port is not an integer between 1 and 65535",
  E_PORT_IN_USE: "a port is already in use",
  E_PORT_CLASH: "two services were given the same port",
  E_NATS_MISSING: "nats-server is not installed",
  E_NATS_FAILED: "nats-server did not start",
  E_STATE_DIR: "the state folder cannot be used",
  E_WEB_MISSING: "the web app has not been built",
  E_CHILD_FAILED: "a child process failed",
  // Nix output
  E_NIX_UNPRINTABLE: "a value cannot be written as Nix (a compiler bug: validation should have refused it)",
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

/** One line, as the CLI prints it: `error E_CODE: message`. */
export function formatError(e: AlchemistError): string {
  return `error ${e.code}: ${e.message}`;
}

export type Result<T, E = AlchemistError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
