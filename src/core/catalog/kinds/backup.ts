import { defineKind } from "../kind";
import { int, strings, text } from "../fields";
import { ABSOLUTE_PATH } from "../patterns";
import { dataDirsOf } from "../instance";
import { SETTINGS_AND_SERVICES } from "../builds-on";

/** The SSH host of a Borg repository (`ssh://user@host:port/path` or `user@host:path`), as known_hosts names it. */
function sshHostOf(repo: string): string | undefined {
  const url = /^ssh:\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)(?::([0-9]+))?\//.exec(repo);
  if (url) return url[2] && url[2] !== "22" ? `[${url[1]!.replace(/^\[|\]$/g, "")}]:${url[2]}` : url[1]!;
  const scp = /^(?:[^@/:]+@)?([^:/]+):/.exec(repo);
  return scp && !repo.includes("://") ? scp[1]! : undefined;
}

const KNOWN_HOST = "borg-repository";

const keep = (label: string, def: number) =>
  int({ label, help: `${label} archives to keep.`, default: def, min: 0, max: 1000 });

export const backup = defineKind({
  kind: "backup",
  label: "Backup (BorgBackup)",
  group: "Data",
  role: "service",
  help: "Backs up the data of every service in the instance, and any extra paths, with Borg.",
  buildsOn: SETTINGS_AND_SERVICES,
  fields: {
    repo: text({ label: "Repository", help: "The Borg repository.", required: true, pattern: { source: "[^\\s]+", hint: "a Borg repository without spaces, e.g. ssh://borg@backup.example.com/./cim" }, placeholder: "ssh://borg@backup.example.com/./cim" }),
    passCommand: text({ label: "Passphrase command", help: "Prints the repository passphrase; empty means an unencrypted repository.", placeholder: "cat /run/agenix/borg-passphrase" }),
    startAt: text({ label: "Schedule", help: "A systemd calendar expression.", default: "daily", required: true, pattern: { source: "[A-Za-z0-9 :*,./~-]{1,64}", hint: "a systemd calendar expression such as daily or *-*-* 03:00:00" } }),
    keepDaily: keep("Daily", 7),
    keepWeekly: keep("Weekly", 4),
    keepMonthly: keep("Monthly", 6),
    extraPaths: strings({ label: "Extra paths", help: "More folders to back up.", itemPattern: ABSOLUTE_PATH, placeholder: "/etc/cim" }),
    sshKeyFile: text({
      label: "SSH key file",
      help: "For an SSH repository: the private key borg logs in with (root-only on the host, e.g. a secrets entry), passed as BORG_RSH=\"ssh -i …\".",
      pattern: ABSOLUTE_PATH,
      placeholder: "/run/agenix/borg-ssh-key",
    }),
    hostKey: text({
      label: "Repository host key",
      help: "For an SSH repository: the server's public host key (a line of ssh-keyscan without the host name), written to the host's known_hosts.",
      pattern: { source: "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com) [A-Za-z0-9+/]+={0,3}", hint: "a public key such as ssh-ed25519 AAAAC3Nza…" },
      placeholder: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…",
    }),
  },
  claims: (c) => ["services.borgbackup.jobs.cim", ...(c.hostKey && sshHostOf(c.repo) ? [`programs.ssh.knownHosts.${KNOWN_HOST}`] : [])],
  // borg runs as root over ssh: without a key of its own it offers root's, and an unknown host
  // key ends a non-interactive ssh ("Host key verification failed").
  warnings: (c) => {
    const host = sshHostOf(c.repo);
    if (!host) return [];
    return [
      ...(c.sshKeyFile ? [] : [{ field: "sshKeyFile", message: `the repository is reached over SSH (${host}) and no key is given, so borg would log in with whatever key root has; set SSH key file (a private key on the host, e.g. from a secrets entry)` }]),
      ...(c.hostKey ? [] : [{ field: "hostKey", message: `the repository host ${host} is not a known host, so ssh refuses it when borg runs unattended; set Repository host key (ssh-keyscan ${host.replace(/^\[(.*)\]:([0-9]+)$/, "-p $2 $1")})` }]),
    ];
  },
  units: () => ["borgbackup-job-cim.service"],
  emit: ({ config: c, instance }) => {
    const host = sshHostOf(c.repo);
    return {
      options: {
        programs: host && c.hostKey ? { ssh: { knownHosts: { [KNOWN_HOST]: { hostNames: [host], publicKey: c.hostKey } } } } : undefined,
        services: {
          borgbackup: {
            jobs: {
              cim: {
                compression: "auto,zstd",
                encryption: c.passCommand ? { mode: "repokey-blake2", passCommand: c.passCommand } : { mode: "none" },
                environment: host && c.sshKeyFile ? { BORG_RSH: `ssh -i ${c.sshKeyFile}` } : undefined,
                paths: [...new Set([...dataDirsOf(instance), ...c.extraPaths])].sort(),
                prune: { keep: { daily: c.keepDaily, monthly: c.keepMonthly, weekly: c.keepWeekly } },
                repo: c.repo,
                startAt: c.startAt,
              },
            },
          },
        },
      },
    };
  },
});
