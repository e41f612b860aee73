import { port, records, strings, text } from "../fields";
import type { ConfigOf } from "../fields";
import { repeatedNames, type FieldProblem } from "../check-config";
import type { InstanceView, MetricsTarget, NatsEndpoint, NatsTls, ServicePort } from "../kind";
import { natsTlsOf } from "../instance";
import { expr, type OptionTree, type OptionValue } from "../options";
import { bool, call, id, interp, sel } from "../../nix";
import { ABSOLUTE_PATH, NATS_SUBJECT, SIZE, sizeInBytes, UNIT_NAME } from "../patterns";

/** What hub and leaf servers share: fields, checks, and the common part of `services.nats`. */

const natsUserFields = {
  user: text({ label: "User", help: "The NATS user name.", required: true, pattern: UNIT_NAME, placeholder: "cim-agent" }),
  passwordFile: text({
    label: "Password file",
    help: "A file on the host holding the user's password or its bcrypt hash (e.g. a decrypted secret); one final newline is not part of it. It never enters the Nix store.",
    pattern: ABSOLUTE_PATH,
    placeholder: "/run/agenix/nats-cim-agent",
  }),
  publish: strings({ label: "May publish", help: "Subjects the user may publish to.", itemPattern: NATS_SUBJECT, placeholder: "agent.>" }),
  subscribe: strings({ label: "May subscribe", help: "Subjects the user may subscribe to.", itemPattern: NATS_SUBJECT, placeholder: "commands.>" }),
};

const natsUsers = records(natsUserFields, {
  label: "Users",
  help: "NATS users and the subjects each may publish and subscribe to.",
});

const serverName = text({
  label: "Server name",
  help: "The name this server reports to the cluster; empty uses the NixOS default.",
  pattern: { source: "[A-Za-z0-9_.-]{1,64}", hint: "letters, digits, '.', '_' and '-'" },
  placeholder: "cim-leaf-001",
});

type NatsUser = ConfigOf<typeof natsUserFields>;

/**
 * What NATS clients need beyond their own subjects: replies to their requests come on
 * `_INBOX.>`, JetStream is an API on `$JS.API.>` (`$JS.<domain>.API.>` for a hub's streams
 * reached through a leaf) whose messages are acknowledged on `$JS.ACK.>`, and a service
 * answers a request on its reply subject (`allow_responses`). The instance's own services
 * (domains, agent service) act as the local user, so its restricted lists get these.
 */
const LOCAL_PUBLISH = ["$JS.API.>", "$JS.*.API.>", "$JS.ACK.>"];
const LOCAL_SUBSCRIBE = ["_INBOX.>"];
const withAll = (subjects: readonly string[], needed: readonly string[]) => [...subjects, ...needed.filter((s) => !subjects.includes(s))];

/** `authorization.users` for `services.nats.settings`, with permissions only where given. */
function authorization(users: readonly NatsUser[], localUser: string): OptionValue | undefined {
  if (users.length === 0) return undefined;
  return {
    users: users.map((u) => {
      const local = u.user === localUser;
      // An empty list is no restriction; only a restricted one needs the additions.
      const publish = u.publish.length > 0 ? (local ? withAll(u.publish, LOCAL_PUBLISH) : u.publish) : undefined;
      const subscribe = u.subscribe.length > 0 ? (local ? withAll(u.subscribe, LOCAL_SUBSCRIBE) : u.subscribe) : undefined;
      return {
        user: u.user,
        permissions: { allow_responses: local && publish ? true : undefined, publish, subscribe },
      };
    }),
  };
}

// systemd ignores a credential whose source is not a normalized absolute path.
const UNNORMALIZED = /\/\/|(^|\/)\.\.?(\/|$)|\/$/;

function passwordFileProblems(users: readonly NatsUser[]): FieldProblem[] {
  return users.flatMap((u, i) =>
    UNNORMALIZED.test(u.passwordFile)
      ? [{ field: `users[${i}].passwordFile`, message: "expected a path without //, /./, /../ or a final /; systemd would not load it" }]
      : [],
  );
}

function localUserProblems(c: { users: readonly NatsUser[]; localUser: string }): FieldProblem[] {
  if (c.localUser === "" || c.users.some((u) => u.user === c.localUser)) return [];
  const names = c.users.map((u) => u.user).join(", ");
  return [{ field: "localUser", message: `names no user of this server${names ? ` (its users: ${names})` : "; add it to Users"}` }];
}

const RUNTIME_CONFIG = "/run/nats/nats.conf";
const pkgs = id("pkgs");
// Where systemd puts a LoadCredential copy for the nats unit.
const CREDENTIALS = "/run/credentials/nats.service";
// `%` starts a systemd specifier; `%%` is a literal one.
const credential = (name: string, file: string) => `${name}:${file.replaceAll("%", "%%")}`;

/** The TLS files the server reads, as LoadCredential entries and the settings' paths to them. */
function tlsFiles(tls: NatsTls | undefined): { credentials: string[]; block?: OptionTree } {
  if (!tls) return { credentials: [] };
  const files: [string, string | undefined][] = [["nats-cert.pem", tls.certFile], ["nats-key.pem", tls.keyFile], ["nats-ca.pem", tls.caFile]];
  const at = (name: string) => `${CREDENTIALS}/${name}`;
  return {
    credentials: files.flatMap(([name, file]) => (file ? [credential(name, file)] : [])),
    block: {
      ca_file: tls.caFile ? at("nats-ca.pem") : undefined,
      cert_file: at("nats-cert.pem"),
      key_file: at("nats-key.pem"),
      verify: tls.verify || undefined,
    },
  };
}

/**
 * The server's certificate for its other listeners (a hub's leaf node and WebSocket ports),
 * from the same credentials. Without `verify`: leaf nodes and browsers log in with their
 * credentials, not with client certificates.
 */
export function listenerTls(instance: InstanceView): OptionTree | undefined {
  const block = tlsFiles(natsTlsOf(instance)).block;
  return block ? { ...block, verify: undefined } : undefined;
}

/**
 * nats-server reads passwords only from its config, and `services.nats.settings` becomes a
 * world-readable file in the Nix store. So the store keeps the settings without passwords;
 * systemd hands each password file to the unit as a credential (read as root, so the secret
 * may stay root-only), and before the server starts, jq writes the settings plus the
 * passwords to /run/nats, readable by the nats user alone, and the server runs on that copy.
 * jq reads the files itself: no password passes through a command line or the environment.
 * The settings reach jq as a here-document, which has no length limit (an argument has);
 * toJSON writes one line, so no line of it can end the document early.
 *
 * TLS files are credentials too: an ACME key is readable by the acme group only, which the
 * nats user is not in, and the module's build-time `nats-server -t` (validateConfig) cannot
 * read a file outside the build sandbox, so it is off when the settings name one.
 */
function credentialsAtStart(users: readonly NatsUser[], tls: readonly string[]): OptionTree | undefined {
  const withFile = users.flatMap((u, i) => (u.passwordFile === "" ? [] : [{ i, file: u.passwordFile }]));
  if (withFile.length === 0 && tls.length === 0) return undefined;
  const name = (i: number) => `nats-user-${i}`;
  const LoadCredential = [...withFile.map(({ i, file }) => credential(name(i), file)), ...tls];
  if (withFile.length === 0) return { nats: { serviceConfig: { LoadCredential } } };
  const reads = withFile.map(({ i }) => `  --rawfile p${i} "$CREDENTIALS_DIRECTORY/${name(i)}" \\\n`).join("");
  const filter = withFile.map(({ i }) => `.authorization.users[${i}].password = ($p${i} | rtrimstr("\\n"))`).join("\n  | ");
  const settings = call(sel(id("builtins"), "toJSON"), sel(id("config"), "services", "nats", "settings"));
  return {
    nats: {
      preStart: expr(
        interp("umask 077\n", sel(pkgs, "jq"), `/bin/jq \\\n${reads}  '${filter}' \\\n  > ${RUNTIME_CONFIG} <<'JSON'\n`, settings, "\nJSON\n"),
      ),
      serviceConfig: {
        ExecStart: expr(call(sel(id("lib"), "mkForce"), interp(sel(pkgs, "nats-server"), `/bin/nats-server -c ${RUNTIME_CONFIG}`))),
        LoadCredential,
        RuntimeDirectory: "nats",
      },
    },
  };
}

const maxPayload = text({
  label: "Max payload",
  help: "The largest message the server accepts (NATS allows up to 64MB).",
  default: "8MB",
  required: true,
  pattern: SIZE,
});

const payloadProblems = (size: string) =>
  sizeInBytes(size) > 64 * 1024 ** 2 ? [{ field: "maxPayload", message: "NATS accepts at most 64MB" }] : [];

const localUser = text({
  label: "User for local services",
  help: "The user that clients without credentials act as (NATS no_auth_user). The instance's own services (CIM domains, agent service, agent containers) connect without credentials, so once there are users they need one. Must be one of Users.",
  pattern: UNIT_NAME,
  placeholder: "cim-agent",
});

/** The fields both servers have; each kind adds its own. */
export const natsServerFields = {
  serverName,
  port: port({ label: "Client port", help: "Port for NATS clients.", default: 4222 }),
  monitorPort: port({ label: "Monitoring port", help: "HTTP monitoring port.", default: 8222 }),
  maxPayload,
  users: natsUsers,
  localUser,
};

type ServerConfig = ConfigOf<typeof natsServerFields>;

/** Where the NATS exporter (`services.prometheus.exporters.nats`, its default port) serves /metrics. */
export const NATS_EXPORTER_PORT = 7777;

/** The hooks both servers share: one NATS server per instance, its unit, data and metrics. */
export const natsServerHooks = {
  claims: (): readonly string[] => ["services.nats"],
  units: (): readonly string[] => ["nats.service"],
  dataDirs: (): readonly string[] => ["/var/lib/nats"],
  natsServer: (c: ServerConfig): NatsEndpoint => ({ port: c.port, ...(c.users.length > 0 && !c.localUser ? { refusesAnonymous: { field: "localUser" } } : {}) }),
  // The monitoring port serves JSON (/varz, /connz, …), not Prometheus metrics: the exporter
  // reads it and serves them.
  metrics: (c: ServerConfig): readonly MetricsTarget[] => [
    {
      job: "nats",
      port: NATS_EXPORTER_PORT,
      exporter: {
        name: "nats",
        options: {
          enable: true,
          extraFlags: ["-varz", "-connz", "-routez", "-subz"],
          listenAddress: "127.0.0.1",
          port: NATS_EXPORTER_PORT,
          url: `http://127.0.0.1:${c.monitorPort}`,
        },
      },
    },
  ],
  check: (c: ServerConfig): readonly FieldProblem[] => [
    ...repeatedNames(c.users, "users", "user", (name) => `user ${name} is listed twice; give each user one entry`),
    ...passwordFileProblems(c.users),
    ...payloadProblems(c.maxPayload),
    ...localUserProblems(c),
  ],
};

export const clientPorts = (c: ServerConfig): ServicePort[] => [
  { port: c.port, label: "NATS clients", field: "port", exposed: true },
  // Bound to 127.0.0.1: /varz and /connz tell anyone the server's clients and accounts.
  { port: c.monitorPort, label: "NATS monitoring", field: "monitorPort", exposed: false },
];

/**
 * `services.nats` with what both servers set, plus the kind's own `settings`. Without
 * JetStream the settings say so: the module writes `jetstream = { }` when its option is off,
 * which nats-server reads as JetStream on (its store in the unit's private /tmp).
 */
export const natsService = (c: ServerConfig, jetstream: boolean, settings: OptionTree, instance: InstanceView): OptionTree => {
  const tls = natsTlsOf(instance);
  const files = tlsFiles(tls);
  return {
    networking: tls ? { hosts: { "127.0.0.1": [tls.serverName] } } : undefined,
    services: {
      nats: {
        enable: true,
        jetstream,
        port: c.port,
        serverName: c.serverName || undefined,
        settings: {
          authorization: authorization(c.users, c.localUser),
          http: `127.0.0.1:${c.monitorPort}`,
          jetstream: jetstream ? undefined : expr(call(sel(id("lib"), "mkForce"), bool(false))),
          max_payload: sizeInBytes(c.maxPayload),
          no_auth_user: c.localUser || undefined,
          tls: files.block,
          ...settings,
        },
        validateConfig: tls ? false : undefined,
      },
    },
    systemd: { services: credentialsAtStart(c.users, files.credentials) },
  };
};
