import { defineKind } from "../kind";
import { bool, strings, text } from "../fields";
import { ABSOLUTE_PATH } from "../patterns";
import { SETTINGS_ONLY } from "../builds-on";

const pathField = (label: string, help: string, placeholder: string) =>
  text({ label, help, pattern: ABSOLUTE_PATH, placeholder });

export const tls = defineKind({
  kind: "tls",
  label: "TLS / ACME",
  group: "Security",
  role: "setting",
  help: "Let's Encrypt certificates for the host's domains and TLS for the NATS server.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    email: text({
      label: "ACME email",
      help: "Where Let's Encrypt sends expiry notices.",
      pattern: { source: "[^\\s@]+@[^\\s@]+\\.[^\\s@]+", hint: "an email address" },
      placeholder: "ops@example.com",
    }),
    domains: strings({
      label: "Domains",
      help: "Domains to get certificates for (answered on port 80).",
      itemPattern: { source: "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+", hint: "a domain name such as cim-001.example.com" },
      placeholder: "cim-001.example.com",
    }),
    natsCert: pathField("NATS certificate", "The server certificate for NATS.", "/var/lib/acme/cim-001.example.com/cert.pem"),
    natsKey: pathField("NATS key", "The server key for NATS.", "/var/lib/acme/cim-001.example.com/key.pem"),
    natsCa: pathField("NATS CA", "The CA that signs client certificates.", "/etc/nats/ca.pem"),
    verify: bool({ label: "Verify clients", help: "Require client certificates signed by the CA.", default: true }),
  },
  ports: (c) => (c.domains.length > 0 ? [{ port: 80, label: "ACME HTTP challenge", field: "domains", exposed: true }] : []),
  check: (c) => [
    ...(c.domains.length > 0 && !c.email ? [{ field: "email", message: "required when domains are given (Let's Encrypt needs it)" }] : []),
    ...(!c.natsCert !== !c.natsKey ? [{ field: c.natsCert ? "natsKey" : "natsCert", message: "give both the NATS certificate and key, or neither" }] : []),
  ],
  emit: ({ config: c, instance }) => ({
    options: {
      security: c.domains.length > 0
        ? { acme: { acceptTerms: true, defaults: { email: c.email }, certs: Object.fromEntries(c.domains.map((d) => [d, { listenHTTP: ":80" }])) } }
        : undefined,
      services: instance.nats && c.natsCert
        ? { nats: { settings: { tls: { ca_file: c.natsCa || undefined, cert_file: c.natsCert, key_file: c.natsKey, verify: c.natsCa ? c.verify : undefined } } } }
        : undefined,
    },
  }),
});
