import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Design } from "../../src/core/design/types";
import { natsDesign } from "../support/natsDesigns";
import { atRunTime, CREDENTIALS, evalHost, get, hostIds, type Json, makeCertificate, natsOf, natsServerCheck, templateDesign, templateNames, writeCompiled } from "../support/renderedConfig";

// The NATS configuration of every template and of random designs, as the service reads it
// (the host module evaluated with nixpkgs' NATS settings, written as JSON), checked by the
// real nats-server (Debian's) — at build time where NixOS checks it (validateConfig), and at
// run time with the credential copies where systemd puts them.

const root = mkdtempSync(join(tmpdir(), "alchemist-proof-nats-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const templates = templateNames();

type Host = { config: Json; dir: string };
let counter = 0;
function hostsOf(design: Design): Host[] {
  const dir = join(root, `flake-${counter++}`);
  writeCompiled(design, dir);
  return hostIds(design).map((id) => ({ config: evalHost(dir, id), dir: join(dir, "run", id) }));
}

type User = { user: string; permissions?: { publish?: string[]; subscribe?: string[]; allow_responses?: boolean } };

/** Everything a NATS configuration must hold, checked on one evaluated host; the number of servers checked. */
function proveNats({ config, dir }: Host): number {
  const nats = natsOf(config);
  if (!nats) return 0;
  mkdirSync(dir, { recursive: true });
  const s = nats.settings;

  // Build time: NixOS runs `nats-server -t` on the store file in the build sandbox, where no
  // file outside the store exists, unless validateConfig is off.
  if (nats.validateConfig !== false) {
    const built = natsServerCheck(s, join(dir, "build.json"));
    expect(built.output).toMatch(/is valid/);
  }

  // Run time: the server reads what systemd copied for it, so every file it names is a copy.
  const tlsName = ((get(config, "networking/hosts/127.0.0.1") ?? []) as string[])[0];
  const files: Record<string, string> = {};
  const cert = tlsName ? makeCertificate(join(dir, "cert"), [tlsName]) : undefined;
  for (const [name] of nats.credentials) {
    files[name] = name === "nats-key.pem" ? cert!.key : name.endsWith(".pem") ? cert!.cert : join(dir, name);
    if (!name.endsWith(".pem")) writeFileSync(files[name]!, "a password\n");
  }
  const tls = s.tls as Json | undefined;
  if (tls) {
    for (const key of ["cert_file", "key_file", "ca_file"]) if (tls[key] !== undefined) expect(tls[key]).toMatch(new RegExp(`^${CREDENTIALS}nats-`));
    expect(nats.validateConfig).toBe(false);
    expect(tlsName, "the certificate's name maps to loopback on the host").toBeTruthy();
    // The instance's own services dial the server by the certificate's name, over TLS.
    for (const [name, domain] of Object.entries((get(config, "cim/domains") ?? {}) as Record<string, { enable?: boolean; natsUrl?: string }>)) {
      if (domain.enable) expect(domain.natsUrl, name).toBe(`tls://${tlsName}:${get(config, "services/nats/port")}`);
    }
    if (tls.verify === true) expect(tls.ca_file).toBeDefined();
    // A hub's leaf node and WebSocket listeners use the same certificate, without asking leaves
    // and browsers for client certificates (they log in with credentials).
    const { verify: _, ...listener } = tls;
    if ((s.leafnodes as Json | undefined)?.port !== undefined) expect((s.leafnodes as Json).tls).toEqual(listener);
    if (s.websocket) expect(s.websocket).toEqual({ port: (s.websocket as Json).port, tls: listener });
  } else if (s.websocket) {
    expect((s.websocket as Json).no_tls).toBe(true);
  }
  expect(JSON.stringify(s), "the settings name no file the nats user cannot read").not.toMatch(/\/var\/lib\/acme|"(cert|key|ca)_file":"(?!\/run\/credentials)/);
  const run = natsServerCheck(atRunTime(s, files, join(dir, "js")), join(dir, "run.json"));
  expect(run.output).toMatch(/is valid/);

  // JetStream off means off: nats-server runs JetStream for any `jetstream` block, `{ }` too.
  if (get(config, "services/nats/jetstream") !== true) expect(s.jetstream).toBe(false);

  // Monitoring (/varz, /connz) on loopback only, and not opened in the firewall.
  expect(s.http_port).toBeUndefined();
  expect(s.http).toMatch(/^127\.0\.0\.1:\d+$/);
  const monitor = Number(String(s.http).split(":")[1]);
  expect((get(config, "networking/firewall/allowedTCPPorts") ?? []) as number[]).not.toContain(monitor);

  // The user the instance's services act as may do request-reply and JetStream.
  const local = ((get(s, "authorization/users") ?? []) as User[]).find((u) => u.user === s.no_auth_user);
  if (local?.permissions?.subscribe) expect(local.permissions.subscribe).toContain("_INBOX.>");
  if (local?.permissions?.publish) {
    expect(local.permissions.publish).toEqual(expect.arrayContaining(["$JS.API.>", "$JS.*.API.>", "$JS.ACK.>"]));
    expect(local.permissions.allow_responses).toBe(true);
  }
  return 1;
}

describe("the NATS configuration passes the real `nats-server -t`, at build time and at run time", () => {
  it.each(templates)("template %s", (name) => {
    const servers = hostsOf(templateDesign(name)).reduce((n, h) => n + proveNats(h), 0);
    expect(servers).toBeGreaterThan(0);
  });

  it("40 random designs around a NATS server", () => {
    for (const design of fc.sample(natsDesign, { numRuns: 40, seed: 11 })) {
      expect(hostsOf(design).reduce((n, h) => n + proveNats(h), 0)).toBe(1);
    }
  });
});

describe("Production's NATS with TLS (issue 11, point 3)", () => {
  const [host] = hostsOf(templateDesign("production"));
  const config = host!.config;

  it("hands the ACME certificate and key to the unit as credentials; the settings name only the copies", () => {
    expect(get(config, "systemd/services/nats/serviceConfig/LoadCredential")).toEqual([
      "nats-cert.pem:/var/lib/acme/cim-001.example.com/cert.pem",
      "nats-key.pem:/var/lib/acme/cim-001.example.com/key.pem",
    ]);
    expect(get(config, "services/nats/settings/tls")).toEqual({ cert_file: `${CREDENTIALS}nats-cert.pem`, key_file: `${CREDENTIALS}nats-key.pem` });
    // No client certificates are demanded: the instance's services have none.
    expect(get(config, "services/nats/settings/tls/verify")).toBeUndefined();
  });

  it("turns off the build-time check, which cannot read the copies (they exist only when the unit runs)", () => {
    expect(get(config, "services/nats/validateConfig")).toBe(false);
    expect(natsServerCheck(get(config, "services/nats/settings") as Json, join(root, "production-build.json")).ok).toBe(false);
  });

  it("lets the local services dial a name the certificate covers, mapped to 127.0.0.1", () => {
    expect(get(config, "networking/hosts/127.0.0.1")).toEqual(["cim-001.example.com"]);
    expect(get(config, "cim/domains/graph/natsUrl")).toBe("tls://cim-001.example.com:4222");
  });

  it("restarts the server when the certificate is renewed and starts it after the first one exists", () => {
    expect(get(config, "security/acme/certs/cim-001.example.com/postRun")).toBe("systemctl --no-block try-restart nats.service\n");
    expect(get(config, "systemd/services/nats/after")).toContain("acme-selfsigned-cim-001.example.com.service");
    expect(get(config, "systemd/services/nats/wants")).toContain("acme-finished-cim-001.example.com.target");
  });
});

describe("JetStream off (issue 11, point 9)", () => {
  it("the minimal template's leaf runs no JetStream: its settings say `jetstream: false` over the module's `{ }`", () => {
    const [host] = hostsOf(templateDesign("minimal"));
    expect(get(host!.config, "services/nats/jetstream")).toBe(false);
    expect(get(host!.config, "services/nats/settings/jetstream")).toBe(false);
  });
});
