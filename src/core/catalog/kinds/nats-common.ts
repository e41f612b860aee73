import { port, records, strings, text } from "../fields";
import type { ConfigOf } from "../fields";
import { repeatedNames, type FieldProblem } from "../check-config";
import type { MetricsTarget, NatsEndpoint, ServicePort } from "../kind";
import { expr, type OptionTree, type OptionValue } from "../options";
import { call, id, interp, sel } from "../../nix";
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

/** `authorization.users` for `services.nats.settings`, with permissions only where given. */
function authorization(users: readonly NatsUser[]): OptionValue | undefined {
  if (users.length === 0) return undefined;
  return {
    users: users.map((u) => ({
      user: u.user,
      permissions: {
        publish: u.publish.length > 0 ? u.publish : undefined,
        subscribe: u.subscribe.length > 0 ? u.subscribe : undefined,
      },
    })),
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

/**
 * nats-server reads passwords only from its config, and `services.nats.settings` becomes a
 * world-readable file in the Nix store. So the store keeps the settings without passwords;
 * systemd hands each password file to the unit as a credential (read as root, so the secret
 * may stay root-only), and before the server starts, jq writes the settings plus the
 * passwords to /run/nats, readable by the nats user alone, and the server runs on that copy.
 * jq reads the files itself: no password passes through a command line or the environment.
 * The settings reach jq as a here-document, which has no length limit (an argument has);
 * toJSON writes one line, so no line of it can end the document early.
 */
function passwordsAtStart(users: readonly NatsUser[]): OptionTree | undefined {
  const withFile = users.flatMap((u, i) => (u.passwordFile === "" ? [] : [{ i, file: u.passwordFile }]));
  if (withFile.length === 0) return undefined;
  const credential = (i: number) => `nats-user-${i}`;
  const reads = withFile.map(({ i }) => `  --rawfile p${i} "$CREDENTIALS_DIRECTORY/${credential(i)}" \\\n`).join("");
  const filter = withFile.map(({ i }) => `.authorization.users[${i}].password = ($p${i} | rtrimstr("\\n"))`).join("\n  | ");
  const settings = call(sel(id("builtins"), "toJSON"), sel(id("config"), "services", "nats", "settings"));
  return {
    nats: {
      preStart: expr(
        interp("umask 077\n", sel(pkgs, "jq"), `/bin/jq \\\n${reads}  '${filter}' \\\n  > ${RUNTIME_CONFIG} <<'JSON'\n`, settings, "\nJSON\n"),
      ),
      serviceConfig: {
        ExecStart: expr(call(sel(id("lib"), "mkForce"), interp(sel(pkgs, "nats-server"), `/bin/nats-server -c ${RUNTIME_CONFIG}`))),
        // `%` starts a systemd specifier; `%%` is a literal one.
        LoadCredential: withFile.map(({ i, file }) => `${credential(i)}:${file.replaceAll("%", "%%")}`),
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

/** The hooks both servers share: one NATS server per instance, its unit, data and metrics. */
export const natsServerHooks = {
  claims: (): readonly string[] => ["services.nats"],
  units: (): readonly string[] => ["nats.service"],
  dataDirs: (): readonly string[] => ["/var/lib/nats"],
  natsServer: (c: ServerConfig): NatsEndpoint => ({ port: c.port, ...(c.users.length > 0 && !c.localUser ? { refusesAnonymous: { field: "localUser" } } : {}) }),
  metrics: (c: ServerConfig): readonly MetricsTarget[] => [{ job: "nats", port: c.monitorPort }],
  check: (c: ServerConfig): readonly FieldProblem[] => [
    ...repeatedNames(c.users, "users", "user", (name) => `user ${name} is listed twice; give each user one entry`),
    ...passwordFileProblems(c.users),
    ...payloadProblems(c.maxPayload),
    ...localUserProblems(c),
  ],
};

export const clientPorts = (c: ServerConfig): ServicePort[] => [
  { port: c.port, label: "NATS clients", field: "port", exposed: true },
  { port: c.monitorPort, label: "NATS monitoring", field: "monitorPort", exposed: true },
];

/** `services.nats` with what both servers set, plus the kind's own `settings`. */
export const natsService = (c: ServerConfig, jetstream: boolean, settings: OptionTree): OptionTree => ({
  services: {
    nats: {
      enable: true,
      jetstream,
      port: c.port,
      serverName: c.serverName || undefined,
      settings: {
        authorization: authorization(c.users),
        http_port: c.monitorPort,
        max_payload: sizeInBytes(c.maxPayload),
        no_auth_user: c.localUser || undefined,
        ...settings,
      },
    },
  },
  systemd: { services: passwordsAtStart(c.users) },
});
