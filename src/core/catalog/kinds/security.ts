import { defineKind } from "../kind";
import { bool, int } from "../fields";
import { SETTINGS_ONLY } from "../builds-on";

export const security = defineKind({
  kind: "security",
  label: "Security hardening",
  group: "Security",
  role: "setting",
  help: "fail2ban, AppArmor and SSH without passwords.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    fail2ban: bool({ label: "fail2ban", help: "Ban addresses that fail to log in repeatedly.", default: true }),
    maxRetry: int({ label: "Max retries", help: "Failed logins before a ban.", default: 3, min: 1, max: 100 }),
    apparmor: bool({ label: "AppArmor", help: "Enable AppArmor.", default: true }),
    sshPasswordAuth: bool({ label: "SSH passwords", help: "Allow SSH logins with a password (keys only when off).", default: false }),
  },
  sshHostKey: () => ({ makes: true }),
  emit: ({ config: c }) => ({
    options: {
      security: { apparmor: { enable: c.apparmor } },
      services: {
        fail2ban: c.fail2ban ? { enable: true, maxretry: c.maxRetry } : undefined,
        openssh: {
          enable: true,
          settings: {
            KbdInteractiveAuthentication: c.sshPasswordAuth,
            PasswordAuthentication: c.sshPasswordAuth,
            PermitRootLogin: "prohibit-password",
          },
        },
      },
    },
  }),
});
