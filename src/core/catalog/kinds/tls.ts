import { defineKind, type NatsTls } from "../kind";
import { bool, strings, text } from "../fields";
import type { ConfigOf } from "../fields";
import { ABSOLUTE_PATH } from "../patterns";
import { SETTINGS_ONLY } from "../builds-on";
import { union } from "../options";

const pathField = (label: string, help: string, placeholder: string) =>
  text({ label, help, pattern: ABSOLUTE_PATH, placeholder });

const DOMAIN = { source: "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+", hint: "a domain name such as cim-001.example.com" };

const fields = {
  email: text({
    label: "ACME email",
    help: "Where Let's Encrypt sends expiry notices.",
    pattern: { source: "[^\\s@]+@[^\\s@]+\\.[^\\s@]+", hint: "an email address" },
    placeholder: "ops@example.com",
  }),
  domains: strings({
    label: "Domains",
    help: "Domains to get certificates for (answered on port 80).",
    itemPattern: DOMAIN,
    placeholder: "cim-001.example.com",
  }),
  natsCert: pathField(
    "NATS certificate",
    "The server certificate for NATS, read by systemd when the server starts (so it may stay readable by root only). An ACME certificate of one of Domains is /var/lib/acme/<domain>/cert.pem.",
    "/var/lib/acme/cim-001.example.com/cert.pem",
  ),
  natsKey: pathField("NATS key", "The server key for NATS, read like the certificate.", "/var/lib/acme/cim-001.example.com/key.pem"),
  natsName: text({
    label: "NATS name",
    help: "A name the NATS certificate is for. The instance's own services dial the server by it (tls://<name>:<port>, mapped to 127.0.0.1 on the host: no certificate covers 127.0.0.1). Empty: the <domain> of a certificate under /var/lib/acme/<domain>/.",
    pattern: DOMAIN,
    placeholder: "cim-001.example.com",
  }),
  natsCa: pathField("NATS CA", "The CA that signs client certificates.", "/etc/nats/ca.pem"),
  verify: bool({
    label: "Verify clients",
    help: "Require a client certificate signed by the CA from every client. The instance's own services have none, so they would be refused: leave it off unless every client gets one.",
    default: false,
  }),
};

type Config = ConfigOf<typeof fields>;

const ACME_DIR = /^\/var\/lib\/acme\/([^/]+)\//;
/** The ACME certificate (a `security.acme.certs` name) a path lies in. */
const acmeCertOf = (path: string) => ACME_DIR.exec(path)?.[1];
const natsName = (c: Config) => c.natsName || acmeCertOf(c.natsCert) || "";

export const tls = defineKind<typeof fields>({
  kind: "tls",
  label: "TLS / ACME",
  group: "Security",
  role: "setting",
  help: "Let's Encrypt certificates for the host's domains and TLS for the NATS server.",
  buildsOn: SETTINGS_ONLY,
  fields,
  ports: (c) => (c.domains.length > 0 ? [{ port: 80, label: "ACME HTTP challenge", field: "domains", exposed: true }] : []),
  check: (c) => [
    ...(c.domains.length > 0 && !c.email ? [{ field: "email", message: "required when domains are given (Let's Encrypt needs it)" }] : []),
    ...(!c.natsCert !== !c.natsKey ? [{ field: c.natsCert ? "natsKey" : "natsCert", message: "give both the NATS certificate and key, or neither" }] : []),
    ...(c.natsCert && !natsName(c)
      ? [{ field: "natsName", message: "name a domain the NATS certificate is for: the instance's services dial the server by it" }]
      : []),
    ...(c.natsCert && c.verify && !c.natsCa ? [{ field: "natsCa", message: "required to verify clients: the CA that signs their certificates" }] : []),
  ],
  natsTls: (c): NatsTls | undefined =>
    c.natsCert && c.natsKey
      ? { certFile: c.natsCert, keyFile: c.natsKey, caFile: c.natsCa || undefined, verify: c.verify, serverName: natsName(c) }
      : undefined,
  emit: ({ config: c, instance }) => {
    // An ACME certificate the NATS server uses: renewing it restarts the server (it reads its
    // copy at start), and the server waits for the first (self-signed) one at boot.
    const renewed = instance.nats && c.natsCert ? acmeCertOf(c.natsCert) : undefined;
    const ours = renewed !== undefined && c.domains.includes(renewed) ? renewed : undefined;
    return {
      options: {
        security: c.domains.length > 0
          ? {
              acme: {
                acceptTerms: true,
                defaults: { email: c.email },
                certs: Object.fromEntries(
                  c.domains.map((d) => [d, { listenHTTP: ":80", postRun: d === ours ? "systemctl --no-block try-restart nats.service\n" : undefined }]),
                ),
              },
            }
          : undefined,
        systemd: ours
          ? { services: { nats: { after: union([`acme-selfsigned-${ours}.service`]), wants: union([`acme-finished-${ours}.target`]) } } }
          : undefined,
      },
    };
  },
});
