import { defineKind } from "../kind";
import { repeatedNames } from "../check-config";
import { oneOf, records, text } from "../fields";
import { expr } from "../options";
import { ABSOLUTE_PATH, SECRET_NAME } from "../patterns";
import { path } from "../../nix";
import { SETTINGS_ONLY } from "../builds-on";

const HOST_KEY = "/etc/ssh/ssh_host_ed25519_key";

const BY_EXTENSION: Readonly<Record<string, string>> = { yaml: "yaml", yml: "yaml", json: "json", env: "dotenv", ini: "ini" };

/** sops-nix's `format`: what the entry says, or what its file's extension says (else binary). */
function sopsFormat(format: string, file: string): string {
  if (format !== "auto") return format;
  const extension = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase() ?? "";
  return BY_EXTENSION[extension] ?? "binary";
}

export const secrets = defineKind({
  kind: "secrets",
  label: "Secrets",
  group: "Security",
  role: "setting",
  help: "Encrypted files from the flake's secrets/ folder, decrypted on the host by agenix or sops-nix.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    backend: oneOf(["agenix", "sops"], { label: "Backend", help: "The tool that decrypts the secrets.", default: "agenix" }),
    entries: records(
      {
        name: text({ label: "Name", help: "The secret's name; agenix puts it at /run/agenix/<name>, sops at /run/secrets/<name>.", required: true, pattern: SECRET_NAME, placeholder: "nats-leaf.creds" }),
        file: text({
          label: "Encrypted file",
          help: "The file under the flake's secrets/ folder.",
          required: true,
          pattern: { source: "[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}", hint: "a file name under secrets/, e.g. nats-leaf.creds.age" },
          placeholder: "nats-leaf.creds.age",
        }),
        owner: text({ label: "Owner", help: "The user that may read the decrypted file.", default: "root", required: true, pattern: { source: "[a-z_][a-z0-9_-]{0,31}", hint: "a user name" } }),
        mode: text({ label: "Mode", help: "The decrypted file's permissions.", default: "0400", required: true, pattern: { source: "0[0-7]{3}", hint: "an octal mode such as 0400" } }),
        format: oneOf(["auto", "binary", "yaml", "json", "dotenv", "ini"], {
          label: "Format (sops)",
          help: "How sops-nix reads the encrypted file: binary for a whole file encrypted as it is (a .creds, a key), or a YAML/JSON/dotenv/INI document holding a key named like the secret. auto: by the file's extension (.yaml, .yml, .json, .env, .ini), else binary.",
          default: "auto",
        }),
      },
      { label: "Entries", help: "One entry per secret." },
    ),
    keySource: oneOf(["ssh-host-key", "age-key-file"], {
      label: "Key source",
      help: "What decrypts the secrets on the host: its SSH host key /etc/ssh/ssh_host_ed25519_key (sshd makes it; encrypt to ssh-to-age of its .pub), or an age key file you place on the host yourself.",
      default: "ssh-host-key",
    }),
    ageKeyFile: text({
      label: "Age key file",
      help: "With the age key file source: where the host's age private key is (root-only); it never leaves the host and is not in the flake.",
      default: "/var/lib/sops-nix/key.txt",
      required: true,
      pattern: ABSOLUTE_PATH,
    }),
  },
  claims: () => ["secrets"],
  sshHostKey: (c) => (c.entries.length > 0 && c.keySource === "ssh-host-key" ? { reads: "keySource" } : undefined),
  providedSecrets: (c) => c.entries.map((e) => e.name),
  check: (c) => repeatedNames(c.entries, "entries", "name", (name) => `secret ${name} is listed twice`),
  // Both modules assert a key source once there are secrets (agenix: age.identityPaths; sops-nix:
  // sops.age.keyFile or sops.age.sshKeyPaths, …); their defaults rely on openssh being enabled, so
  // the source is written out. sops-nix reads every file as YAML unless told its format.
  emit: ({ config: c }) => {
    const agenix = c.backend === "agenix";
    const entries = Object.fromEntries(
      c.entries.map((e) => [
        e.name,
        agenix
          ? { file: expr(path(`../../secrets/${e.file}`)), mode: e.mode, owner: e.owner }
          : { format: sopsFormat(e.format, e.file), mode: e.mode, owner: e.owner, sopsFile: expr(path(`../../secrets/${e.file}`)) },
      ]),
    );
    const hostKey = c.keySource === "ssh-host-key";
    const keys = c.entries.length === 0 ? {} : agenix ? { identityPaths: [hostKey ? HOST_KEY : c.ageKeyFile] } : { age: hostKey ? { sshKeyPaths: [HOST_KEY] } : { keyFile: c.ageKeyFile } };
    return {
      options: agenix ? { age: { ...keys, secrets: entries } } : { sops: { ...keys, secrets: entries } },
      flakeInputs: c.entries.length > 0 ? [c.backend === "agenix" ? "agenix" : "sops-nix"] : [],
    };
  },
});
