import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { messageOf } from "../../core/errors";

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
  ".map": "application/json; charset=utf-8",
};

/**
 * The Content-Security-Policy of the web app. Scripts only from this origin and never inline
 * (Vite's index.html loads its one module by src), so an injected `<script>` or `onclick` does
 * nothing. The compile worker is a file of this origin too. `connect-src` allows any ws:/wss:
 * URL because the app may be pointed at any hub (`?hub=`, Hub settings), not only this stack's;
 * the hub's own allowed origins and credentials decide who gets in. Inline styles are allowed:
 * React Flow and CodeMirror position and theme elements with them, and a style cannot run code.
 * No page may frame the app (clickjacking a Deploy button).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** On every response, errors included. X-Frame-Options says frame-ancestors to browsers that predate it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/** Longer request targets are refused: the app's own are short, and a long one is an attack or a mistake. */
export const MAX_URL_LENGTH = 2048;

/** A host name, IPv4 address or [IPv6] literal, with an optional port: what a browser sends as Host. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

type Target = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The file path a request asks for, decoded, or why it is not one this server answers. Done by
 * hand on the raw target rather than with `new URL`, which would resolve `..` and `//host`
 * forms before they could be refused.
 */
export function requestPath(raw: string | undefined): Target {
  if (!raw || !raw.startsWith("/")) return { ok: false, reason: "the request target must be a path starting with /" };
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `the request target is longer than ${MAX_URL_LENGTH} characters` };
  const pathname = raw.split(/[?#]/, 1)[0]!;
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return { ok: false, reason: "the path is not valid percent-encoded UTF-8" };
  }
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return { ok: false, reason: "the path holds a control character or a backslash" };
  if (path.split("/").some((s) => s === "." || s === "..")) return { ok: false, reason: "the path has a . or .. segment" };
  return { ok: true, path };
}

function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body?: string | Buffer, head = false): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(head ? undefined : body);
}

const plain = (res: ServerResponse, status: number, text: string) => send(res, status, { "content-type": TYPES[".txt"]!, "cache-control": "no-store" }, `${text}\n`);

/**
 * Serves the built web app. `/alchemist-config.json` tells the app where this stack's hub
 * listens for WebSocket clients, so changing --websocket-port needs no rebuild. Unknown
 * paths fall back to index.html (the app owns its routes). No request can end the process:
 * a malformed one gets 400, and any failure while answering becomes a 500.
 */
export function serveWebApp(root: string, runtimeConfig: object, log: (line: string) => void = (l) => console.error(l)): Server {
  const base = normalize(root + sep);
  const config = JSON.stringify(runtimeConfig);

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host;
    if (host === undefined ? req.httpVersion !== "1.0" : !HOST.test(host)) return plain(res, 400, "bad request: the Host header is missing or malformed");
    const target = requestPath(req.url);
    if (!target.ok) return plain(res, 400, `bad request: ${target.reason}`);
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { allow: "GET, HEAD", "content-type": TYPES[".txt"]! }, "method not allowed\n");
    const head = req.method === "HEAD";
    if (target.path === "/alchemist-config.json") {
      return send(res, 200, { "content-type": TYPES[".json"]!, "cache-control": "no-store", "content-length": Buffer.byteLength(config) }, config, head);
    }
    let path = normalize(join(base, target.path));
    // requestPath refused every `..`; this holds even if that check were ever loosened.
    if (!path.startsWith(base)) return plain(res, 400, "bad request: the path leaves the web app");
    const found = await stat(path).catch(() => undefined);
    if (!found?.isFile()) path = join(base, "index.html");
    const body = await readFile(path);
    const immutable = path.includes(`${sep}assets${sep}`);
    send(
      res,
      200,
      {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "content-length": body.length,
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      },
      body,
      head,
    );
  }

  const server = createServer({ requireHostHeader: false }, (req, res) => {
    answer(req, res).catch((e: unknown) => {
      log(`web: ${req.method} ${String(req.url).slice(0, 200)} failed: ${messageOf(e)}`);
      if (!res.headersSent) plain(res, 500, "internal error: see the output of alchemist up");
      else res.destroy();
    });
  });
  // A request Node cannot even parse (a bad request line, headers over the limit) never reaches
  // the handler: answer it here, with the same headers, rather than Node's bare reply.
  server.on("clientError", (e: NodeJS.ErrnoException, socket: Duplex) => {
    if (e.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const headers = Object.entries({ ...SECURITY_HEADERS, "content-type": TYPES[".txt"]!, connection: "close" }).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.end(`HTTP/1.1 400 Bad Request\r\n${headers.join("")}\r\nbad request\n`);
  });
  // Once listening, nothing else listens for the server's errors (EMFILE on accept…): without
  // this, one would end `up`. Before, an error is listen()'s to report (the port in use).
  server.once("listening", () => server.on("error", (e) => log(`web: ${messageOf(e)}`)));
  return server;
}
