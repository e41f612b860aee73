import { hostname, networkInterfaces } from "node:os";
import { AlchemistFailure, err } from "../../core/errors";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** One `--allowed-origin` value as the origin a browser sends (`scheme://host[:port]`). */
export function parseOrigin(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new AlchemistFailure(err("E_USAGE", `${source}: "${value}" is not an origin; expected e.g. http://localhost:5173`));
  }
  const bare = (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !bare) {
    throw new AlchemistFailure(err("E_USAGE", `${source}: "${value}" is not an origin; expected http(s)://host[:port] with nothing after it, e.g. http://localhost:5173`));
  }
  return url.origin;
}

/**
 * The origins the web app of `up` is reached at: its own address, and the other spelling of
 * loopback (a browser sends `http://localhost:8080` when the user typed that), plus the
 * extra ones given (a Vite dev server, a name the machine is reached by). On 0.0.0.0 the app
 * is also reached by the machine's host name and its interfaces' addresses.
 */
export function appOrigins(host: string, httpPort: number, extra: readonly string[]): string[] {
  const bare = host.replace(/^\[|\]$/g, "");
  const hosts =
    bare === "0.0.0.0" || bare === "::"
      ? ["127.0.0.1", "localhost", hostname(), ...Object.values(networkInterfaces()).flatMap((as) => (as ?? []).map((a) => a.address))]
      : LOOPBACK.has(bare)
        ? ["127.0.0.1", "localhost", bare]
        : [bare];
  const spell = (h: string) => (h.includes(":") ? `[${h}]` : h);
  return [...new Set([...hosts.map((h) => `http://${spell(h)}:${httpPort}`), ...extra])];
}
