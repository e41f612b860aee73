import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, serveWebApp } from "../../src/cli/stack/staticServer";
import { freePort } from "../../src/cli/stack/ports";
import { REPO, startStack, waitFor, type RunningStack } from "../support/stack";

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request written byte for byte on a plain socket: no HTTP client normalises the target
 * (fetch would turn `//..%2f` into something else before sending it).
 */
function raw(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (c: string) => (data += c));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", ...rest] = data.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
  });
}

const get = (port: number, target: string, headers = "Host: 127.0.0.1\r\n") => raw(port, `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);

/** What every response must carry, errors included. */
function expectSecurityHeaders(r: RawResponse): void {
  const csp = r.headers["content-security-policy"] ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/connect-src[^;]*ws:/);
  expect(r.headers["x-content-type-options"]).toBe("nosniff");
  expect(r.headers["x-frame-options"]).toBe("DENY");
  expect(r.headers["referrer-policy"]).toBe("no-referrer");
  expect(csp).toBe(CONTENT_SECURITY_POLICY);
}

const MALFORMED: [string, string][] = [
  ["a percent-escape cut short", "GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["an escape that is not UTF-8", "GET /%FF%FE HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["a protocol-relative climb", "GET //..%2f HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["an encoded climb to /etc/passwd", "GET /..%2f..%2f..%2fetc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["a plain climb", "GET /assets/../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["a NUL byte", "GET /index.html%00.js HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["an encoded backslash", "GET /..%5c..%5cetc%5cpasswd HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["an absolute-form target", "GET http://example.com/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["the asterisk target", "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
  ["a path of 5000 characters", `GET /${"a".repeat(5000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n`],
  ["a path over Node's header limit", `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n`],
  ["no Host", "GET / HTTP/1.1\r\n"],
  ["a Host with spaces and markup", "GET / HTTP/1.1\r\nHost: <script>alert(1)</script>\r\n"],
  ["a Host with a path", "GET / HTTP/1.1\r\nHost: 127.0.0.1/evil\r\n"],
  ["a request line that is not HTTP", "HELLO THERE\r\n"],
  ["a header line without a colon", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nnot a header\r\n"],
];

describe("the web server of alchemist up never dies on a request", () => {
  let stack: RunningStack;
  let port: number;
  beforeAll(async () => {
    stack = await startStack();
    port = stack.ports.http;
  });
  afterAll(async () => {
    if (stack) await stack.stop();
  });

  it.each(MALFORMED)("%s gets 400 with the security headers", async (_what, head) => {
    const r = await raw(port, `${head}Connection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    expectSecurityHeaders(r);
    expect(r.body).not.toContain("root:x:0:0");
  });

  it("the policy is the one docs/local-stack.md gives, for whoever serves the app elsewhere", () => {
    expect(readFileSync(join(REPO, "docs/local-stack.md"), "utf8")).toContain(CONTENT_SECURITY_POLICY);
  });

  it("refuses other methods than GET and HEAD", async () => {
    const r = await raw(port, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe("GET, HEAD");
    expectSecurityHeaders(r);
  });

  it("is still up after all of them and serves the app, every response with the headers", async () => {
    expect(stack.process.exitCode).toBeNull();
    const index = await get(port, "/");
    expect(index.status).toBe(200);
    expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(index.body).toContain('<div id="root">');
    expectSecurityHeaders(index);
    // The policy forbids inline script, so the built page must have none: every script loads by src, no on… handlers.
    const scripts = [...index.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body!.trim()).toBe("");
    }
    expect(index.body).not.toMatch(/\son[a-z]+\s*=/i);

    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)![1]!;
    const worker = readdirSync(join(REPO, "dist/web/assets")).find((f) => /^compile\.worker-.*\.js$/.test(f))!;
    for (const target of [asset, `/assets/${worker}`, "/alchemist-config.json", "/favicon.svg", "/some/route?x=1", "/%F0%9F%A7%AA"]) {
      const r = await get(port, target);
      expect(r.status, target).toBe(200);
      expectSecurityHeaders(r);
    }
    const head = await raw(port, "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expectSecurityHeaders(head);
    // A browser-style Host with the port, an IPv6 literal and a name all pass.
    for (const host of [`127.0.0.1:${port}`, `[::1]:${port}`, "localhost"]) expect((await get(port, "/", `Host: ${host}\r\n`)).status).toBe(200);
  });
});

describe("a failure while answering is a 500, and the server goes on", () => {
  let root: string;
  let server: Server;
  let port: number;
  const logged: string[] = [];
  beforeAll(async () => {
    // A web root whose fallback page is a folder: reading it fails inside the handler.
    root = mkdtempSync(join(tmpdir(), "alchemist-web-"));
    mkdirSync(join(root, "index.html"));
    writeFileSync(join(root, "app.js"), "export {};\n");
    server = serveWebApp(root, { hubWebSocketPort: 1 }, (l) => logged.push(l));
    port = await freePort();
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  });
  afterAll(() => {
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers 500 with the headers, says why in the log, and serves the next request", async () => {
    const failed = await get(port, "/no-such-route");
    expect(failed.status).toBe(500);
    expectSecurityHeaders(failed);
    expect(logged.join("\n")).toMatch(/GET \/no-such-route failed: .*EISDIR/);
    const ok = await get(port, "/app.js");
    expect(ok.status).toBe(200);
    expect(ok.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expectSecurityHeaders(ok);
  });
});

/** The live (not zombie) processes whose command line names `text`, with what they run. */
function processesNaming(text: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (state !== "Z" && args.some((a) => a.includes(text))) out.push(args.join(" "));
    } catch {
      // gone while we looked
    }
  }
  return out;
}

describe("alchemist up killed outright takes its children with it", () => {
  it("after SIGKILL of up, no nats-server, executor or reaper of its stack is left", async () => {
    const stack = await startStack();
    try {
      // Each child names the state folder on its command line: the hub its config, the executor its work folder, the reaper its label.
      const kinds = (list: string[]) => ["nats-server", " executor ", " _reaper "].filter((k) => list.some((cmd) => cmd.includes(k)));
      await waitFor("the stack's processes", () => (kinds(processesNaming(stack.stateDir)).length === 3 ? true : undefined));
      stack.process.kill("SIGKILL");
      await waitFor("the children to go", () => (processesNaming(stack.stateDir).length === 0 ? true : undefined), 20_000).catch(() => {
        throw new Error(`still running after up was killed:\n${processesNaming(stack.stateDir).join("\n")}`);
      });
    } finally {
      await stack.stop();
    }
  });
});
