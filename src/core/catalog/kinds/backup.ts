import { defineKind } from "../kind";
import { int, strings, text } from "../fields";
import { ABSOLUTE_PATH } from "../patterns";
import { dataDirsOf } from "../instance";
import { SETTINGS_AND_SERVICES } from "../builds-on";

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
  },
  claims: () => ["services.borgbackup.jobs.cim"],
  units: () => ["borgbackup-job-cim.service"],
  emit: ({ config: c, instance }) => ({
    options: {
      services: {
        borgbackup: {
          jobs: {
            cim: {
              compression: "auto,zstd",
              encryption: c.passCommand ? { mode: "repokey-blake2", passCommand: c.passCommand } : { mode: "none" },
              paths: [...new Set([...dataDirsOf(instance), ...c.extraPaths])].sort(),
              prune: { keep: { daily: c.keepDaily, monthly: c.keepMonthly, weekly: c.keepWeekly } },
              repo: c.repo,
              startAt: c.startAt,
            },
          },
        },
      },
    },
  }),
});
