/**
 * Where the browser's NATS WebSocket connection goes. In order: `?hub=` in the page URL
 * (for a one-off), the URL saved in settings, the port the local stack announces in
 * /alchemist-config.json, and finally the hub's default WebSocket port on this host.
 */

export const DEFAULT_WEBSOCKET_PORT = 9222;
export const HUB_URL_STORAGE_KEY = "alchemist.hubUrl";

export interface RuntimeConfig {
  hubWebSocketPort?: number;
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

export function resolveHubUrl(s: HubUrlSources): string {
  const fromQuery = new URLSearchParams(s.search).get("hub");
  for (const candidate of [fromQuery, s.saved]) {
    if (candidate) {
      const checked = checkHubUrl(candidate);
      if (checked.ok) return checked.url;
    }
  }
  const port = s.runtime?.hubWebSocketPort ?? DEFAULT_WEBSOCKET_PORT;
  const host = s.hostname.includes(":") ? `[${s.hostname}]` : s.hostname || "127.0.0.1";
  return `ws://${host}:${port}`;
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
