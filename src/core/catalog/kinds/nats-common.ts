import { records, strings, text } from "../fields";
import type { ConfigOf } from "../fields";
import type { OptionValue } from "../options";
import { ABSOLUTE_PATH, NATS_SUBJECT, SIZE, sizeInBytes, UNIT_NAME } from "../patterns";

/** What hub and leaf servers share: the users of `authorization` and the server name. */

export const natsUserFields = {
  user: text({ label: "User", help: "The NATS user name.", required: true, pattern: UNIT_NAME, placeholder: "cim-agent" }),
  passwordFile: text({
    label: "Password file",
    help: "A file on the host holding the user's password (e.g. a decrypted secret).",
    pattern: ABSOLUTE_PATH,
    placeholder: "/run/agenix/nats-cim-agent",
  }),
  publish: strings({ label: "May publish", help: "Subjects the user may publish to.", itemPattern: NATS_SUBJECT, placeholder: "agent.>" }),
  subscribe: strings({ label: "May subscribe", help: "Subjects the user may subscribe to.", itemPattern: NATS_SUBJECT, placeholder: "commands.>" }),
};

export const natsUsers = records(natsUserFields, {
  label: "Users",
  help: "NATS users and the subjects each may publish and subscribe to.",
});

export const serverName = text({
  label: "Server name",
  help: "The name this server reports to the cluster; empty uses the NixOS default.",
  pattern: { source: "[A-Za-z0-9_.-]{1,64}", hint: "letters, digits, '.', '_' and '-'" },
  placeholder: "cim-leaf-001",
});

type NatsUser = ConfigOf<typeof natsUserFields>;

/** `authorization.users` for `services.nats.settings`, with permissions only where given. */
export function authorization(users: readonly NatsUser[]): OptionValue | undefined {
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

/** The password of a NATS user must reach nats.conf, which the generated config cannot do yet. */
export function unsupportedPasswordFiles(users: readonly NatsUser[]) {
  return users.flatMap((u, i) =>
    u.passwordFile === ""
      ? []
      : [{ field: `users[${i}].passwordFile`, message: "password files for NATS users are not supported by this compiler yet; authenticate the user with the leaf credentials or leave it empty" }],
  );
}

export const maxPayload = text({
  label: "Max payload",
  help: "The largest message the server accepts (NATS allows up to 64MB).",
  default: "8MB",
  required: true,
  pattern: SIZE,
});

export const payloadProblems = (size: string) =>
  sizeInBytes(size) > 64 * 1024 ** 2 ? [{ field: "maxPayload", message: "NATS accepts at most 64MB" }] : [];
