/**
 * Where the browser's NATS WebSocket connection goes. The page's own hub is, in order: the URL
 * saved in settings, the port the local stack announces in /alchemist-config.json, and
 * finally the hub's default WebSocket port on this host. A `?hub=` in the page URL (a one-off)
 * that names another hub is only asked about: a link could otherwise send the browser, and its
 * login, to any hub.
 */

export const DEFAULT_WEBSOCKET_PORT = 9222;
export const HUB_URL_STORAGE_KEY = "alchemist.hubUrl";

export interface RuntimeConfig {
  hubWebSocketPort?: number;
  /** Every member's WebSocket port when the local hub is a cluster, the first being hubWebSocketPort. */
  hubWebSocketPorts?: number[];
  leafId?: string;
}

export interface HubUrlSources {
  search: string;
  hostname: string;
  saved: string | null;
  runtime: RuntimeConfig | undefined;
}

export type HubUrlCheck = { ok: true; url: string } | { ok: false; message: string };

/** nats.js needs an explicit ws:// or wss:// URL with a host. */
export function checkHubUrl(raw: string): HubUrlCheck {
  const value = raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { ok: false, message: `"${value}" is not a URL; expected ws://host:port or wss://host:port` };
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    return { ok: false, message: `the hub URL must start with ws:// or wss://, not ${parsed.protocol}//` };
  }
  if (!parsed.hostname) return { ok: false, message: "the hub URL has no host" };
  return { ok: true, url: value };
}

const valid = (candidate: string | null): string | undefined => {
  const checked = candidate ? checkHubUrl(candidate) : undefined;
  return checked?.ok ? checked.url : undefined;
};

/**
 * `home`: the page's own hub; `asked`: another hub a valid `?hub=` names, to ask about first;
 * `members`: the other members of the page's own hub when the stack announces a cluster, to
 * fail over to (a saved URL is one hub, and nothing a hub gossips is followed).
 */
export function resolveHubUrl(s: HubUrlSources): { home: string; members: string[]; asked?: string } {
  const port = s.runtime?.hubWebSocketPort ?? DEFAULT_WEBSOCKET_PORT;
  const host = s.hostname.includes(":") ? `[${s.hostname}]` : s.hostname || "127.0.0.1";
  const saved = valid(s.saved);
  const home = saved ?? `ws://${host}:${port}`;
  const ports = Array.isArray(s.runtime?.hubWebSocketPorts) ? s.runtime.hubWebSocketPorts.filter((p) => Number.isInteger(p) && p > 0 && p < 65536) : [];
  const members = saved ? [] : ports.filter((p) => p !== port).map((p) => `ws://${host}:${p}`);
  const asked = valid(new URLSearchParams(s.search).get("hub"));
  return asked && asked !== home ? { home, members, asked } : { home, members };
}

export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig | undefined> {
  try {
    const res = await fetchImpl("/alchemist-config.json", { cache: "no-store" });
    if (!res.ok) return undefined;
    const body: unknown = await res.json();
    return typeof body === "object" && body !== null ? (body as RuntimeConfig) : undefined;
  } catch {
    // Served by a plain static host (or `vite dev`): fall back to the default port.
    return undefined;
  }
}
