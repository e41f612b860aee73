import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves the built web app. `/alchemist-config.json` tells the app where this stack's hub
 * listens for WebSocket clients, so changing --websocket-port needs no rebuild. Unknown
 * paths fall back to index.html (the app owns its routes).
 */
export function serveWebApp(root: string, runtimeConfig: object): Server {
  const base = normalize(root + sep);
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/alchemist-config.json") {
      res.writeHead(200, { "content-type": TYPES[".json"]!, "cache-control": "no-store" });
      res.end(JSON.stringify(runtimeConfig));
      return;
    }
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (!path.startsWith(base)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    try {
      if (!(await stat(path)).isFile()) path = join(base, "index.html");
    } catch {
      path = join(base, "index.html");
    }
    try {
      const body = await readFile(path);
      const immutable = path.includes(`${sep}assets${sep}`);
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
}
