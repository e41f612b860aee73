import { defineKind } from "../kind";
import { oneOf, stringMap, strings, text } from "../fields";
import { expr } from "../options";
import { PACKAGE_ATTR } from "../patterns";
import { id, sel } from "../../nix";
import { SETTINGS_ONLY } from "../builds-on";

// The seed guides' tuning: large socket buffers and many open files for NATS, little swapping.
const TUNING = {
  "fs.file-max": "2097152",
  "net.core.rmem_max": "134217728",
  "net.core.wmem_max": "134217728",
  "vm.dirty_ratio": "15",
  "vm.swappiness": "10",
};

export const baseSystem = defineKind({
  kind: "base-system",
  label: "Base system",
  group: "Hosts",
  role: "setting",
  help: "Time zone, locale, kernel tuning, garbage collection and system packages.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    timeZone: text({ label: "Time zone", help: "An IANA time zone.", default: "UTC", required: true, pattern: { source: "[A-Za-z0-9_+/-]{1,64}", hint: "an IANA time zone such as Europe/Berlin" } }),
    locale: text({ label: "Locale", help: "The default locale.", default: "en_US.UTF-8", required: true, pattern: { source: "[A-Za-z0-9_.@-]{1,64}", hint: "a locale such as en_US.UTF-8" } }),
    sysctl: stringMap({
      label: "Kernel parameters",
      help: "sysctl settings; whole numbers are written as numbers.",
      default: TUNING,
      keyPattern: { source: "[a-z0-9_][a-z0-9_./-]{0,127}", hint: "a sysctl key such as net.core.rmem_max" },
    }),
    gc: oneOf(["off", "daily", "weekly", "monthly"], { label: "Garbage collection", help: "How often old generations are collected.", default: "weekly" }),
    packages: strings({ label: "Packages", help: "nixpkgs attributes installed system-wide.", itemPattern: PACKAGE_ATTR, placeholder: "htop" }),
  },
  emit: ({ config: c }) => ({
    options: {
      boot: { kernel: { sysctl: Object.fromEntries(Object.entries(c.sysctl).map(([k, v]) => [k, /^-?[0-9]{1,15}$/.test(v) ? Number(v) : v])) } },
      environment: c.packages.length > 0 ? { systemPackages: c.packages.map((p) => expr(sel(id("pkgs"), ...p.split(".")))) } : undefined,
      i18n: { defaultLocale: c.locale },
      nix: c.gc === "off" ? undefined : { gc: { automatic: true, dates: c.gc, options: "--delete-older-than 30d" } },
      time: { timeZone: c.timeZone },
    },
  }),
});
