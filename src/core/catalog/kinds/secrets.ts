import { defineKind } from "../kind";
import { repeatedNames } from "../check-config";
import { oneOf, records, text } from "../fields";
import { expr } from "../options";
import { SECRET_NAME } from "../patterns";
import { path } from "../../nix";
import { SETTINGS_ONLY } from "../builds-on";

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
      },
      { label: "Entries", help: "One entry per secret." },
    ),
  },
  claims: () => ["secrets"],
  providedSecrets: (c) => c.entries.map((e) => e.name),
  check: (c) => repeatedNames(c.entries, "entries", "name", (name) => `secret ${name} is listed twice`),
  emit: ({ config: c }) => {
    const fileKey = c.backend === "agenix" ? "file" : "sopsFile";
    const entries = Object.fromEntries(
      c.entries.map((e) => [e.name, { [fileKey]: expr(path(`../../secrets/${e.file}`)), mode: e.mode, owner: e.owner }]),
    );
    return {
      options: c.backend === "agenix" ? { age: { secrets: entries } } : { sops: { secrets: entries } },
      flakeInputs: c.entries.length > 0 ? [c.backend === "agenix" ? "agenix" : "sops-nix"] : [],
    };
  },
});
