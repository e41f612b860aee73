import { createServer } from "node:net";
import { AlchemistFailure, err } from "../../core/errors";

/** Parses a port given on the command line or in the environment, naming where it came from. */
export function parsePort(value: string, source: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new AlchemistFailure(err("E_BAD_PORT", `${source} must be an integer between 1 and 65535, got "${value}"`));
  }
  return n;
}

/** Resolves to true when nothing listens on host:port (by binding it for a moment). */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Fails with the first port (by name) that is taken or given twice. */
export async function assertPortsUsable(host: string, ports: Record<string, number>): Promise<void> {
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    const other = seen.get(port);
    if (other) throw new AlchemistFailure(err("E_PORT_CLASH", `${name} and ${other} are both set to port ${port}; give each its own port`));
    seen.set(port, name);
  }
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portIsFree(host, port))) {
      throw new AlchemistFailure(
        err("E_PORT_IN_USE", `${name} port ${port} on ${host} is already in use; stop what uses it or choose another port with --${name}-port`),
      );
    }
  }
}

/** An unused TCP port chosen by the kernel, for tests and for `--*-port 0`. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
