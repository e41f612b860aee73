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
 * The origins the web app of `up` is reached at, plus the extra ones given (a Vite dev server,
 * another name of the machine). The app's own address comes first; then the extra ones; then
 * the other spellings of that address a browser may send (`http://localhost:8080` when the user
 * typed that; on 0.0.0.0 the machine's host name and its interfaces' addresses).
 *
 * nats-server (2.9) keeps one allowed port per host name, the last one listed. So each host name
 * is listed once, the first of those three groups winning, and `dropped` says which did not fit.
 */
export function appOrigins(host: string, httpPort: number, extra: readonly string[]): { origins: string[]; dropped: string[] } {
  const bare = host.replace(/^\[|\]$/g, "");
  const any = bare === "0.0.0.0" || bare === "::";
  const primary = any ? "127.0.0.1" : bare;
  const others = any
    ? ["localhost", hostname(), ...Object.values(networkInterfaces()).flatMap((as) => (as ?? []).map((a) => a.address))]
    : LOOPBACK.has(bare)
      ? ["127.0.0.1", "localhost"]
      : [];
  const spell = (h: string) => `http://${h.includes(":") ? `[${h}]` : h}:${httpPort}`;
  const byHost = new Map<string, string>();
  const dropped: string[] = [];
  for (const origin of [spell(primary), ...extra, ...others.map(spell)]) {
    const h = new URL(origin).hostname;
    const kept = byHost.get(h);
    if (kept === undefined) byHost.set(h, origin);
    else if (kept !== origin) dropped.push(origin);
  }
  return { origins: [...byHost.values()], dropped: [...new Set(dropped)] };
}
